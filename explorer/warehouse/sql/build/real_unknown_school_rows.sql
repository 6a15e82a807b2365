-- Staged rows of a store table whose school was not kept (row_count, one row): they are left
-- out of the warehouse. Placeholder: {table} (a stg_* table with a uai column).
select count(*) as row_count
from store.{table}
where uai is not null and uai not in (select uai from stg_school)
