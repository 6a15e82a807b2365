-- ENT usage summed per school, school year and profile. Weekly users are summed too: they
-- are user-weeks, not distinct people. school_user_weeks / school_weeks_counted only count the
-- weeks with at least one school day in the school's zone (for the share of active users).
create or replace table usage_school_year as
with zones as (
    select s.uai, t.holiday_zone
    from school as s join territory as t on t.level = 'departement' and t.code = s.departement_code
)
select
    u.uai,
    c.school_year,
    u.profile,
    sum(u.visits) as visits,
    sum(u.users) as user_weeks,
    sum(u.users) filter (where c.school_day_share > 0) as school_user_weeks,
    count(*) filter (where c.school_day_share > 0) as school_weeks_counted
from usage as u
join zones as z on z.uai = u.uai
join calendar_week as c on c.week_start = u.week_start and c.holiday_zone = z.holiday_zone
group by u.uai, c.school_year, u.profile
order by u.uai, c.school_year, u.profile
