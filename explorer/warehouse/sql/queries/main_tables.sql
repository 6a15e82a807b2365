-- Names of the tables of the warehouse's main schema (? = schema name, 'main').
select table_name from information_schema.tables where table_schema = ?
