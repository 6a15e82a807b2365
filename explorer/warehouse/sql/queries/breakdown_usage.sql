-- ENT usage of every territory of one level over one period, per profile: the usage sums of
-- territory_facts.sql for each profile filter, in one pass.
-- {code} is the school's territory column for the level (allow-listed by the caller).
-- Parameters: $first_year, $last_year.
with schools as (
    select s.uai, s.{code} as code from school as s where s.{code} is not null
)
select
    sc.code,
    u.profile,
    sum(u.visits) as visits,
    sum(u.school_user_weeks) filter (where u.profile = 'eleve') as pupil_user_weeks,
    sum(u.school_user_weeks) as user_weeks
from usage_school_year as u join schools as sc using (uai)
where cast(substr(u.school_year, 1, 4) as integer) between $first_year and $last_year
group by sc.code, u.profile
order by sc.code, u.profile
