-- Row count of one table (row_count, one row). Placeholder: {table} (a staging or mart table).
select count(*) as row_count from {table}
