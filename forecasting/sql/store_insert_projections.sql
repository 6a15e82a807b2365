-- Insert the registered frame `incoming` (columns warehouse_id, level, code, profile,
-- spec_key, scenario, ds, yhat, yhat_lower, yhat_upper) into the stored projections.
with incoming_rows as (
    select warehouse_id, level, code, profile, spec_key, scenario, ds, yhat, yhat_lower, yhat_upper
    from incoming
)
insert into projections (
    warehouse_id, level, code, profile, spec_key, scenario, ds, yhat, yhat_lower, yhat_upper
)
select * from incoming_rows
