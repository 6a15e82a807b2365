-- Investment of every territory of one level over one period, per funder and per category:
-- the investment sums of territory_facts.sql for each funder / category filter, in one pass.
-- {code} is the school's territory column for the level (allow-listed by the caller).
-- Parameters: $first_year, $last_year.
with schools as (
    select s.uai, s.{code} as code from school as s where s.{code} is not null
),
spending as (
    select sc.code, i.funder_level, i.category, i.amount_eur
    from investment_school as i join schools as sc using (uai)
    where i.year between $first_year and $last_year
)
select code, 'funder' as dimension, funder_level as item, sum(amount_eur) as invest_eur
from spending group by code, funder_level
union all
select code, 'category' as dimension, category as item, sum(amount_eur) as invest_eur
from spending group by code, category
order by code, dimension, item
