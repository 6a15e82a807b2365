-- The schools of one territory with their own figures over one period: pupils of the last
-- school year, IPS, investment per pupil and per year, ENT visits per pupil and per week of
-- the measured school years. {code}: allow-listed column. Parameters: $code, $first_year, $last_year.
with schools as (
    select s.uai, s.name, s.kind, s.sector, s.commune_code from school as s where s.{code} = $code
),
bounds as (select min(rentree_year) as lo, max(rentree_year) as hi from school_year),
years as (
    select y.* from school_year as y semi join schools as s on s.uai = y.uai
    where y.rentree_year between $first_year and $last_year
),
base as (
    select
        uai,
        arg_max(pupils, rentree_year) as pupils,
        sum(ips * pupils) filter (where ips is not null) / sum(pupils) filter (where ips is not null) as ips,
        sum(pupils * school_weeks) filter (where measured) as measured_pupil_weeks
    from years group by uai
),
invest_pupils as (
    select y.uai, sum(y.pupils) as pupil_years
    from range($first_year, $last_year + 1) as p(year)
    cross join bounds as b
    join school_year as y on y.rentree_year = least(greatest(p.year, b.lo), b.hi)
    semi join schools as s on s.uai = y.uai
    group by y.uai
),
invest as (
    select i.uai, sum(i.amount_eur) as invest_eur
    from investment_school as i semi join schools as s on s.uai = i.uai
    where i.year between $first_year and $last_year
    group by i.uai
),
ent as (
    select u.uai, sum(u.visits) as visits
    from usage_school_year as u semi join schools as s on s.uai = u.uai
    where cast(substr(u.school_year, 1, 4) as integer) between $first_year and $last_year
    group by u.uai
)
select
    s.uai,
    s.name,
    s.kind,
    s.sector,
    t.name as commune_name,
    b.pupils,
    b.ips,
    coalesce(i.invest_eur, 0) / nullif(ip.pupil_years, 0) as invest_per_pupil,
    e.visits / nullif(b.measured_pupil_weeks, 0) as visits_per_pupil_week
from schools as s
left join territory as t on t.level = 'commune' and t.code = s.commune_code
left join base as b using (uai)
left join invest_pupils as ip using (uai)
left join invest as i using (uai)
left join ent as e using (uai)
order by s.kind, t.name, s.name
