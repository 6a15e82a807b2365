-- Columns of one staging table (? = table name), in schema order: column_name, and
-- is_nullable ('YES' / 'NO': a NO column must have a value on every row).
select column_name, is_nullable
from information_schema.columns
where table_name = ?
order by ordinal_position
