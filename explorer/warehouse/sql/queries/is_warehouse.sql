-- 1 when the open database holds the warehouse's build_info table, else 0 (one row).
select count(*) as found from information_schema.tables where table_name = 'build_info'
