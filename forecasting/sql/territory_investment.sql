-- Investment per pupil and budget year of every territory of one level (or of one
-- territory): all funders and categories, every euro attached to a school (investment_school)
-- over the pupils of all the territory's schools in the school year that starts that year
-- (the nearest known school year outside the data's range), as the indicator invest_per_pupil.
-- {code} is the school's territory column for the level (allow-listed by the caller).
-- Parameters: $code (null = every territory of the level).
with schools as (
    select uai, {code} as code
    from school
    where {code} is not null and ($code is null or {code} = $code)
),
bounds as (select min(rentree_year) as lo, max(rentree_year) as hi from school_year),
years as (select distinct year from investment_school),
spending as (
    -- Rounded to the cent: DuckDB's parallel float sums differ in the last bits from run to
    -- run, and Prophet's optimiser turns that into visibly different fits.
    select s.code, i.year, round(sum(i.amount_eur), 2) as invest_eur
    from investment_school as i join schools as s using (uai)
    group by s.code, i.year
),
pupils as (
    select s.code, p.year, sum(y.pupils) as pupils
    from years as p
    cross join bounds as b
    join school_year as y on y.rentree_year = least(greatest(p.year, b.lo), b.hi)
    join schools as s on s.uai = y.uai
    group by s.code, p.year
)
select
    p.code,
    p.year,
    coalesce(sp.invest_eur, 0) as invest_eur,
    p.pupils,
    coalesce(sp.invest_eur, 0) / p.pupils as invest_per_pupil
from pupils as p
left join spending as sp on sp.code = p.code and sp.year = p.year
order by p.code, p.year
