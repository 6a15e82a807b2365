-- Données page: coverage of the usage data per school year and kind, plus every year's
-- total over the kinds (kind null), the share recomputed from the summed counts.
with source as (select * from coverage),
totals as (
    select
        school_year,
        kind,
        sum(schools)::bigint as schools,
        sum(measured_schools)::bigint as measured_schools
    from source
    group by grouping sets ((school_year, kind), (school_year))
)
select
    school_year,
    kind,
    schools,
    measured_schools,
    measured_schools / nullif(schools, 0) as coverage_share
from totals
order by school_year, kind nulls last
