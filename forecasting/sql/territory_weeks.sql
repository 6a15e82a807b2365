-- Weekly ENT visits of the *measured* schools of every territory of one level (or of one
-- territory), with the pupils of the schools measured that week: the denominator that keeps
-- the growth of the measured set from looking like growth of use.
-- {code} is the school's territory column for the level (allow-listed by the caller).
-- Parameters: $code (null = every territory of the level), $profile (null = all profiles).
with schools as (
    select uai, kind, {code} as code
    from school
    where {code} is not null and ($code is null or {code} = $code)
),
school_weeks as (
    -- One row per measured school and week: a school is measured a week when it has rows.
    select
        u.week_start,
        u.uai,
        sum(u.visits) as visits,
        case when month(u.week_start) >= 8 then year(u.week_start) else year(u.week_start) - 1 end as rentree_year
    from usage as u
    semi join schools as s on s.uai = u.uai
    where ($profile is null or u.profile = $profile)
    group by u.week_start, u.uai
)
select
    s.code,
    w.week_start as ds,
    sum(w.visits) as visits,
    count(*) as measured_schools,
    sum(y.pupils) as measured_pupils,
    coalesce(sum(y.pupils) filter (where s.kind = 'ecole'), 0) / sum(y.pupils) as ecole_share
from school_weeks as w
join schools as s on s.uai = w.uai
join school_year as y on y.uai = w.uai and y.rentree_year = w.rentree_year
group by s.code, w.week_start
order by s.code, w.week_start
