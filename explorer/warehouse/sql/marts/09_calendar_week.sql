-- One row per week and holiday zone: school-day share, holiday and lockdown flags, school year.
create or replace table calendar_week as
with weeks as (select * from stg_calendar_week)
select
    week_start,
    holiday_zone,
    school_day_share,
    school_day_share = 0 as holiday_week,
    week_start >= date '2020-03-16' and week_start < date '2020-05-11' as lockdown_week,
    case when month(week_start) >= 8 then year(week_start) else year(week_start) - 1 end as rentree_year,
    concat(
        case when month(week_start) >= 8 then year(week_start) else year(week_start) - 1 end, '-',
        case when month(week_start) >= 8 then year(week_start) + 1 else year(week_start) end
    ) as school_year
from weeks
order by week_start, holiday_zone
