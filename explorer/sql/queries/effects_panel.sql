-- School × school-year panel of the effects engine: one row per measured school year with
-- ENT visits, pupils and school weeks, the school's territories and payer, its investment per
-- pupil of every earlier budget year as a stock (undepreciated sum of the budget years before
-- the rentrée, i.e. up to Y-1), and the first funding year of each State programme that
-- reached it (TNE by département: the programme covers the whole territory).
with visits as (
    select uai, school_year, sum(visits) as visits, sum(visits) filter (where profile = ?) as profile_visits
    from usage_school_year group by uai, school_year
),
spend as (
    select uai, year, sum(amount_eur) as amount_eur from investment_school group by uai, year
),
stock as (
    select y.uai, y.school_year, coalesce(sum(s.amount_eur), 0) as invest_stock_eur,
        coalesce(sum(s.amount_eur) filter (where s.year >= y.rentree_year - 3), 0) as invest_3y_eur
    from school_year as y
    left join spend as s on s.uai = y.uai and s.year < y.rentree_year
    group by y.uai, y.school_year
),
programme_school as (
    select uai,
        min(year) filter (where programme = 'SNEE') as snee_year,
        min(year) filter (where programme = 'hybridation_lycees') as hybridation_year
    from investment_school where programme in ('SNEE', 'hybridation_lycees') group by uai
),
tne_departement as (
    select s.departement_code, min(i.year) as tne_year
    from investment_school as i join school as s using (uai)
    where i.programme = 'TNE' group by s.departement_code
)
select
    y.uai, y.school_year, y.rentree_year, y.pupils, y.school_weeks,
    v.visits, v.profile_visits,
    st.invest_stock_eur / y.pupils as invest_stock_per_pupil,
    st.invest_3y_eur / y.pupils as invest_3y_per_pupil,
    s.kind, s.sector, s.commune_code, s.epci_code, s.departement_code, s.academie_code, s.region_code,
    s.payer_level || ':' || s.payer_code as payer, z.holiday_zone,
    p.snee_year, p.hybridation_year, t.tne_year
from school_year as y
join school as s using (uai)
join visits as v using (uai, school_year)
join stock as st using (uai, school_year)
join territory as z on z.level = 'departement' and z.code = s.departement_code
left join programme_school as p using (uai)
left join tne_departement as t on t.departement_code = s.departement_code
where y.measured and y.pupils > 0 and y.school_weeks > 0
order by y.uai, y.school_year
