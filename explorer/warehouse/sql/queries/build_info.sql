-- The build_info key/value pairs, by key.
select key, value from build_info order by key
