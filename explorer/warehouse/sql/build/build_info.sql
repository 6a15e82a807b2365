-- The build_info mart: what the build says, from the registered frame info_rows(key, value).
create or replace table build_info as
with source as (select * from info_rows)
select key, value from source
