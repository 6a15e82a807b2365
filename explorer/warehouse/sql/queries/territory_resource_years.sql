-- Digital-resource accesses of the schools of one territory per school year and family, with
-- the pupils of its measured schools that year. {code}: allow-listed column. Parameters: $code.
with schools as (
    select s.uai from school as s where s.{code} = $code
),
measured as (
    select y.school_year, count(*) as measured_schools, sum(y.pupils) as measured_pupils
    from school_year as y semi join schools as s on s.uai = y.uai
    where y.measured
    group by y.school_year
),
resources as (
    select r.school_year, r.resource, sum(r.visits) as visits, sum(r.user_weeks) as user_weeks
    from resource_school_year as r semi join schools as s on s.uai = r.uai
    group by r.school_year, r.resource
)
select r.school_year, r.resource, r.visits, r.user_weeks, m.measured_schools, m.measured_pupils
from resources as r left join measured as m using (school_year)
order by r.school_year, r.resource
