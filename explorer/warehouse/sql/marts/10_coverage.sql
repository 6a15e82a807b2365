-- Coverage of the usage data: schools measured (at least one week of ENT usage) per school
-- year and kind, against the schools with pupils that year.
create or replace table coverage as
with measured as (
    select distinct c.school_year, u.uai
    from usage as u
    join (select distinct week_start, school_year from calendar_week) as c on c.week_start = u.week_start
),
schools as (
    select e.school_year, s.kind, s.uai from enrolment as e join school as s on s.uai = e.uai
)
select
    s.school_year,
    s.kind,
    count(*) as schools,
    count(m.uai) as measured_schools,
    count(m.uai) / count(*) as coverage_share
from schools as s
left join measured as m on m.school_year = s.school_year and m.uai = s.uai
group by s.school_year, s.kind
order by s.school_year, s.kind
