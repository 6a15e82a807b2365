-- As source_total, for the rows of one unit only (? = source, unit): a long table such as
-- stg_territory_fact holds several measures. Placeholders: {table}, {column}.
with staged as (select * from {table} where source = ? and unit = ?)
select sum({column}) as total from staged
