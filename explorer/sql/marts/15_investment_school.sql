-- Every euro of investment attached to a school. Spending not tied to one school (uai null,
-- e.g. ENT licences bought by a département for all its collèges) is allocated to the schools
-- its funder is competent for, in proportion to their pupils of the school year that starts
-- in the spending year (the nearest known year outside the data's range); the State's
-- untied spending goes to every school. allocated = true marks those shares.
create or replace table investment_school as
with tied as (
    select year, funder_level, funder_code, programme, category, uai, amount_eur, false as allocated
    from investment where uai is not null
),
untied as (
    select row_number() over () as untied_id, year, funder_level, funder_code, programme, category, amount_eur
    from investment where uai is null
),
bounds as (select min(rentree_year) as lo, max(rentree_year) as hi from school_year),
pupils as (
    select s.uai, s.payer_level, s.payer_code, y.rentree_year, y.pupils
    from school as s join school_year as y using (uai)
),
targets as (
    select
        u.year, u.funder_level, u.funder_code, u.programme, u.category, u.amount_eur,
        p.uai, p.pupils,
        sum(p.pupils) over (partition by u.untied_id) as funder_pupils
    from untied as u
    cross join bounds as b
    join pupils as p
        on p.rentree_year = least(greatest(u.year, b.lo), b.hi)
        and (u.funder_level = 'etat' or (p.payer_level = u.funder_level and p.payer_code = u.funder_code))
)
select * from tied
union all
select year, funder_level, funder_code, programme, category, uai, amount_eur * pupils / funder_pupils, true
from targets
