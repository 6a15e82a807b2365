-- Layout version the warehouse was built with (build_info key schema_version; one row, or none).
select value from build_info where key = 'schema_version'
