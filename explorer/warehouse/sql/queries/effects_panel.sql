-- School × school-year panel of the effects engine: one row per measured school year with
-- ENT visits, pupils and school weeks, the school's territories and payer, its investment per
-- pupil as a stock (undepreciated sum, over the budget years before the rentrée, i.e. up to
-- Y-1, of each year's spending per pupil), and the first funding year of each State programme
-- that reached it (TNE by département: the programme covers the whole territory).
with visits as (
    select uai, school_year, sum(visits) as visits, sum(visits) filter (where profile = ?) as profile_visits
    from usage_school_year group by uai, school_year
),
bounds as (select min(rentree_year) as lo, max(rentree_year) as hi from school_year),
spend as (
    -- Each budget year's spending per pupil of the school year starting that year (the
    -- nearest known one outside the data): dividing the whole stock by this year's pupils
    -- would turn every change of enrolment into a change of "investment".
    select i.uai, i.year, sum(i.amount_eur) / any_value(p.pupils) as per_pupil
    from investment_school as i
    cross join bounds as b
    join school_year as p on p.uai = i.uai and p.rentree_year = least(greatest(i.year, b.lo), b.hi)
    where p.pupils > 0
    group by i.uai, i.year
),
stock as (
    select y.uai, y.school_year, coalesce(sum(s.per_pupil), 0) as invest_stock_per_pupil,
        coalesce(sum(s.per_pupil) filter (where s.year >= y.rentree_year - 3), 0) as invest_3y_per_pupil
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
    st.invest_stock_per_pupil,
    st.invest_3y_per_pupil,
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
