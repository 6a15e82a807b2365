-- Remove the stored projections of the territories of the registered frame `incoming`
-- before they are inserted again. Parameters: $warehouse_id, $level, $profile, $spec_key.
delete from projections
where warehouse_id = $warehouse_id and level = $level and profile = $profile and spec_key = $spec_key
    and code in (select distinct code from incoming)
