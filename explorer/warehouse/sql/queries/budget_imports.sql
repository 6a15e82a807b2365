-- The budget imports of a warehouse: one per source 'budget:<id>' (? = 'budget:').
with imports as (
    select source, label, loaded_at from stg_source where starts_with(source, $1)
),
lines as (
    select source, count(*) as row_count, sum(amount_eur) as total
    from stg_investment
    where starts_with(source, $1)
    group by source
)
select
    substr(i.source, length($1) + 1) as id,
    i.label,
    coalesce(l.row_count, 0) as "rows",
    coalesce(l.total, 0) as total,
    i.loaded_at as imported_at
from imports as i
left join lines as l on l.source = i.source
order by i.loaded_at, i.source
