-- Investment in the schools of one territory per budget year, funder and category, with the
-- pupils of the school year each budget year starts (the nearest known one outside the data).
-- {code} is the school's territory column for the level (allow-listed). Parameters: $code.
with schools as (
    select s.uai from school as s where s.{code} = $code
),
bounds as (select min(rentree_year) as lo, max(rentree_year) as hi from school_year),
spending as (
    select i.year, i.funder_level, i.category, sum(i.amount_eur) as invest_eur
    from investment_school as i semi join schools as s on s.uai = i.uai
    group by i.year, i.funder_level, i.category
),
pupils as (
    select yr.year, sum(y.pupils) as pupils, count(distinct y.uai) as schools
    from (select distinct year from spending) as yr
    cross join bounds as b
    join school_year as y on y.rentree_year = least(greatest(yr.year, b.lo), b.hi)
    semi join schools as s on s.uai = y.uai
    group by yr.year
)
select sp.year, sp.funder_level, sp.category, sp.invest_eur, p.pupils, p.schools
from spending as sp left join pupils as p using (year)
order by sp.year, sp.funder_level, sp.category
