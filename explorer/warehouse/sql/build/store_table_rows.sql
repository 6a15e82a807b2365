-- Row count of one table of the attached staging store (row_count, one row).
-- Placeholder: {table} (a stg_* table of the store).
select count(*) as row_count from store.{table}
