-- Pupils of one territory's schools by kind and sector in the last known rentrée: the shares
-- that turn « € per collégien » into € per pupil of the territory.
-- {code} is the school's territory column for the level (allow-listed by the caller).
-- Parameters: $code.
with schools as (
    select uai, kind, sector
    from school
    where {code} = $code
),
last_rentree as (select max(rentree_year) as rentree_year from school_year)
select
    s.kind,
    s.sector,
    sum(y.pupils) as pupils
from school_year as y
join last_rentree as r on r.rentree_year = y.rentree_year
join schools as s on s.uai = y.uai
group by s.kind, s.sector
order by s.kind, s.sector
