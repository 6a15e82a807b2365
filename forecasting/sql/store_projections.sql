-- Stored projections of one level and profile for one warehouse build.
-- Parameters: $warehouse_id, $level, $profile.
with stored as (
    select code, scenario, ds, yhat, yhat_lower, yhat_upper
    from projections
    where warehouse_id = $warehouse_id and level = $level and profile = $profile
)
select * from stored
order by code, scenario, ds
