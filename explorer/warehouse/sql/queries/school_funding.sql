-- Who paid what for one school, per budget year, funder, category, programme and whether the
-- spending was its own or its pupils' share of a funder's unattached spending (allocated), with the
-- school's pupils of the school year each budget year starts (the nearest known one outside
-- the data). Parameters: $uai.
with bounds as (select min(rentree_year) as lo, max(rentree_year) as hi from school_year),
spending as (
    select i.year, i.funder_level, i.category, i.programme, i.allocated, sum(i.amount_eur) as invest_eur
    from investment_school as i
    where i.uai = $uai
    group by all
)
select sp.year, sp.funder_level, sp.category, sp.programme, sp.allocated, sp.invest_eur, y.pupils
from spending as sp
cross join bounds as b
left join school_year as y on y.uai = $uai and y.rentree_year = least(greatest(sp.year, b.lo), b.hi)
order by sp.year, sp.funder_level, sp.category, sp.programme, sp.allocated
