-- The store's sources not already described by the reference ones.
insert into stg_source by name
with staged as (select * from store.stg_source)
select * from staged
where source not in (select source from stg_source)
