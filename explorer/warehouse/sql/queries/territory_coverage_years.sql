-- Schools and pupils of one territory per school year, and those measured by the ENT audience.
-- {code}: allow-listed column. Parameters: $code.
with schools as (
    select s.uai from school as s where s.{code} = $code
)
select
    y.school_year,
    count(*) as schools,
    count(*) filter (where y.measured) as measured_schools,
    sum(y.pupils) as pupils,
    coalesce(sum(y.pupils) filter (where y.measured), 0) as measured_pupils
from school_year as y semi join schools as s on s.uai = y.uai
group by y.school_year
order by y.school_year
