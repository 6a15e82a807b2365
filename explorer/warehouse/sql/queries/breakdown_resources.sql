-- Digital-resource accesses of every territory of one level over one period, per family: the
-- resource sums of territory_facts.sql for each family filter, in one pass.
-- {code} is the school's territory column for the level (allow-listed by the caller).
-- Parameters: $first_year, $last_year.
with schools as (
    select s.uai, s.{code} as code from school as s where s.{code} is not null
)
select sc.code, r.resource, sum(r.visits) as resource_visits, sum(r.user_weeks) as resource_user_weeks
from resource_school_year as r join schools as sc using (uai)
where cast(substr(r.school_year, 1, 4) as integer) between $first_year and $last_year
group by sc.code, r.resource
order by sc.code, r.resource
