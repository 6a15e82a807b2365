-- The rows that identify a warehouse build (source, scope, seed, build time…).
with info as (select key, value from build_info)
select key, value from info
order by key
