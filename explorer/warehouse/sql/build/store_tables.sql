-- The stg_* tables of the attached staging store (table_name), whatever their row count.
select table_name
from information_schema.tables
where table_catalog = 'store' and table_name like 'stg_%'
