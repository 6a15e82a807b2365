-- Remove one source's rows from a staging table (? = source): a reload or a removed
-- budget import replaces them. Placeholder: {table} (a staging table).
delete from {table} where source = ?
