-- Pupils of the schools of every territory of one level (or of one territory) by kind and
-- sector in the last known rentrée: the shares that turn « € per collégien » into € per pupil
-- of the territory.
-- {code} is the school's territory column for the level (allow-listed by the caller).
-- Parameters: $code (null = every territory of the level).
with schools as (
    select uai, kind, sector, {code} as code
    from school
    where {code} is not null and ($code is null or {code} = $code)
),
last_rentree as (select max(rentree_year) as rentree_year from school_year)
select
    s.code,
    s.kind,
    s.sector,
    sum(y.pupils) as pupils
from school_year as y
join last_rentree as r on r.rentree_year = y.rentree_year
join schools as s on s.uai = y.uai
group by s.code, s.kind, s.sector
order by s.code, s.kind, s.sector
