-- Published aggregates of one territory (territory_fact), with the label of their source.
with facts as (select * from territory_fact where level = ? and code = ?),
labels as (select source, label, publisher from stg_source)
select f.indicator, f.period, f.value, f.unit, f.source, l.label as source_label, l.publisher
from facts as f
left join labels as l using (source)
order by f.source, f.period desc, f.indicator
