-- Données page: headline figures of the warehouse (one row).
-- Pupils are those of the last school year found in the enrolment table.
with last_year as (select max(school_year) as school_year from enrolment),
pupils as (
    select sum(e.pupils)::bigint as pupils
    from enrolment as e
    join last_year as y on y.school_year = e.school_year
),
weeks as (
    select min(week_start) as first_week, max(week_start) as last_week,
        count(distinct week_start) as usage_weeks
    from usage
)
select
    (select count(*) from school) as schools,
    y.school_year as last_school_year,
    p.pupils,
    (select count(*) from territory where level = 'commune') as communes,
    w.first_week,
    w.last_week,
    w.usage_weeks
from last_year as y, pupils as p, weeks as w
