-- Communes whose row now comes from a loaded dataset rather than the reference geography
-- (? = source of the reference geography): row_count, one row.
select count(*) as row_count from stg_commune where source <> ?
