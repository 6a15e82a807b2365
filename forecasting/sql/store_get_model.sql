-- The stored model JSON of one territory, profile and model spec, for one warehouse build.
-- Parameters: $warehouse_id, $level, $code, $profile, $spec_key.
with stored as (
    select model_json
    from models
    where warehouse_id = $warehouse_id and level = $level and code = $code
        and profile = $profile and spec_key = $spec_key
)
select model_json from stored
