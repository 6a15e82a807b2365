-- Total of one column of a staged table over one source's rows (? = source), to check
-- against the publisher's figure. Placeholders: {table} (staging), {column} (a measure).
with staged as (select * from {table} where source = ?)
select sum({column}) as total from staged
