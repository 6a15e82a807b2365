-- One row per school and school year: the denominators every indicator needs.
-- school_weeks: the school's zone's weeks of that school year, counted by their share of
-- school days (a week with 3 school days counts 0.6). measured: the school has ENT usage rows
-- that school year (the national measurement does not cover every school).
create or replace table school_year as
with weeks as (
    select holiday_zone, school_year, sum(school_day_share) as school_weeks
    from calendar_week group by holiday_zone, school_year
),
measured as (
    select distinct u.uai, c.school_year
    from usage as u
    join (select distinct week_start, school_year from calendar_week) as c on c.week_start = u.week_start
),
zones as (
    select s.uai, t.holiday_zone
    from school as s join territory as t on t.level = 'departement' and t.code = s.departement_code
)
select
    e.uai,
    e.school_year,
    cast(substr(e.school_year, 1, 4) as integer) as rentree_year,
    e.pupils,
    i.ips,
    m.uai is not null as measured,
    coalesce(w.school_weeks, 0) as school_weeks
from enrolment as e
join zones as z on z.uai = e.uai
left join ips as i on i.uai = e.uai and i.school_year = e.school_year
left join measured as m on m.uai = e.uai and m.school_year = e.school_year
left join weeks as w on w.holiday_zone = z.holiday_zone and w.school_year = e.school_year
order by e.uai, e.school_year
