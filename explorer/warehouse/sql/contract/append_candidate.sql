-- Append the checked candidate rows to their staging table. Placeholder: {table} (stg_*).
insert into {table} by name select * from candidate
