-- Copy every staged row of one table from the store, as loaded (no de-duplication).
-- Placeholder: {table} (stg_territory_shape, stg_school_competence, stg_territory_fact).
insert into {table} by name
select * from store.{table}
