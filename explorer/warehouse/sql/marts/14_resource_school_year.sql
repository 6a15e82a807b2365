-- Digital-resource use summed per school, school year and resource family.
create or replace table resource_school_year as
with weeks as (select distinct week_start, school_year from calendar_week)
select r.uai, w.school_year, r.resource, sum(r.visits) as visits, sum(r.users) as user_weeks
from resource_use as r
join weeks as w on w.week_start = r.week_start
group by r.uai, w.school_year, r.resource
order by r.uai, w.school_year, r.resource
