-- Weekly ENT usage of the schools of one territory per profile, with the pupils of its schools
-- measured that school year and the holiday flag of the territory's zone.
-- {code} is the school's territory column for the level (allow-listed).
-- Parameters: $level (a territory level, or 'school' with $code a UAI), $code.
with schools as (
    select s.uai from school as s where s.{code} = $code
),
zone as (
    -- a school ($level 'school', $code its UAI) takes its commune's zone
    select holiday_zone from territory
    where (level = $level and code = $code)
        or ($level = 'school' and level = 'commune' and code = (select commune_code from school where uai = $code))
),
weeks as (
    select c.week_start, c.school_year, c.holiday_week, c.school_day_share
    from calendar_week as c where c.holiday_zone = (select holiday_zone from zone)
),
measured as (
    select y.school_year, count(*) as measured_schools, sum(y.pupils) as measured_pupils
    from school_year as y semi join schools as s on s.uai = y.uai
    where y.measured
    group by y.school_year
),
visits as (
    select u.week_start, u.profile, sum(u.visits) as visits, sum(u.users) as users, count(distinct u.uai) as schools
    from usage as u semi join schools as s on s.uai = u.uai
    group by u.week_start, u.profile
)
select
    v.week_start,
    w.school_year,
    v.profile,
    v.visits,
    v.users,
    v.schools,
    m.measured_schools,
    m.measured_pupils,
    coalesce(w.holiday_week, false) as holiday_week,
    w.school_day_share
from visits as v
left join weeks as w using (week_start)
left join measured as m on m.school_year = w.school_year
order by v.week_start, v.profile
