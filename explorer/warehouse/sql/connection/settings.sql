-- Settings of every connection (explorer.warehouse.db): two cores here, so let DuckDB use
-- both; bounded memory for shared servers; no insertion order kept (faster, less memory).
set threads = 2;
set memory_limit = '6GB';
set preserve_insertion_order = false;
