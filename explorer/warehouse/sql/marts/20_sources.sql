-- Where every table's rows come from: one row per mart table and source.
create or replace table sources as
with counts as (
    select 'school' as table_name, source, count(*) as row_count from school group by source
    union all select 'enrolment', source, count(*) from enrolment group by source
    union all select 'ips', source, count(*) from ips group by source
    union all select 'investment', source, count(*) from investment group by source
    union all select 'usage', source, count(*) from usage group by source
    union all select 'resource_use', source, count(*) from resource_use group by source
    union all select 'territory', (select any_value(source) from stg_commune), count(*) from territory
    union all select 'territory_shape', (select any_value(source) from stg_territory_shape), count(*)
        from territory_shape
    union all select 'calendar_week', any_value(source), count(*) from stg_calendar_week
    union all select 'territory_fact', source, count(*) from territory_fact group by source
    -- Derived marts: counted under the source of their schools.
    union all select 'school_year', s.source, count(*) from school_year join school as s using (uai) group by s.source
    union all select 'usage_school_year', s.source, count(*)
        from usage_school_year join school as s using (uai) group by s.source
    union all select 'resource_school_year', s.source, count(*)
        from resource_school_year join school as s using (uai) group by s.source
    union all select 'investment_school', s.source, count(*)
        from investment_school join school as s using (uai) group by s.source
)
select
    c.table_name,
    c.source,
    c.row_count,
    s.label,
    s.publisher,
    s.dataset_id,
    s.vintage,
    s.url,
    s.licence,
    coalesce(s.is_simulated, false) as is_simulated,
    s.loaded_at
from counts as c
left join stg_source as s on s.source = c.source
order by c.table_name, c.source
