-- Sums behind every indicator, for each territory of one level over one period, or for each
-- school (level 'school': one school is its own territory, code = UAI, no population), so that
-- explorer.facts.indicators.compute applies unchanged to both.
-- {code} is the school's column holding the code: the level's territory column, or uai
-- (allow-listed by read_sql).
-- Parameters: $level ('school' or a territory level), $first_year, $last_year, $funder,
-- $category, $profile, $resource (filters are null for "all").
with period_years as (
    select unnest(range($first_year, $last_year + 1)) as year
),
bounds as (select min(rentree_year) as lo, max(rentree_year) as hi from school_year),
schools as (
    select s.uai, s.{code} as code from school as s where s.{code} is not null
),
years as (
    select sc.code, y.*
    from school_year as y join schools as sc using (uai)
    where y.rentree_year between $first_year and $last_year
),
base as (
    select
        code,
        count(distinct uai) as schools,
        sum(pupils) as pupil_years,
        count(distinct rentree_year) as school_years,
        count(distinct uai) filter (where measured) as measured_schools,
        sum(pupils * school_weeks) filter (where measured) as measured_pupil_weeks,
        sum(ips * pupils) filter (where ips is not null) / sum(pupils) filter (where ips is not null) as ips
    from years
    group by code
),
last_pupils as (
    -- Pupils of the last school year of the period (the "élèves" context figure).
    select code, sum(pupils) as pupils
    from years where rentree_year = (select max(rentree_year) from years)
    group by code
),
invest_pupils as (
    -- Pupil-years matching the spending years: each spending year takes the pupils of the
    -- school year it starts, or of the nearest school year the data has.
    select sc.code, sum(y.pupils) as pupil_years
    from period_years as p
    cross join bounds as b
    join school_year as y on y.rentree_year = least(greatest(p.year, b.lo), b.hi)
    join schools as sc on sc.uai = y.uai
    group by sc.code
),
invest as (
    select sc.code, sum(i.amount_eur) as invest_eur
    from investment_school as i join schools as sc using (uai)
    where i.year between $first_year and $last_year
        and ($funder is null or i.funder_level = $funder)
        and ($category is null or i.category = $category)
    group by sc.code
),
ent as (
    select
        sc.code,
        sum(u.visits) as visits,
        sum(u.school_user_weeks) filter (where u.profile = 'eleve') as pupil_user_weeks,
        sum(u.school_user_weeks) as user_weeks
    from usage_school_year as u join schools as sc using (uai)
    where cast(substr(u.school_year, 1, 4) as integer) between $first_year and $last_year
        and ($profile is null or u.profile = $profile)
    group by sc.code
),
measured_pupil_school_weeks as (
    -- Denominator of the share of active pupils: pupils × weeks with school, measured schools.
    select sc.code, sum(y.pupils * u.school_weeks_counted) as pupil_weeks
    from usage_school_year as u
    join school_year as y on y.uai = u.uai and y.school_year = u.school_year
    join schools as sc on sc.uai = u.uai
    where u.profile = 'eleve' and y.rentree_year between $first_year and $last_year
    group by sc.code
),
resources as (
    select sc.code, sum(r.visits) as resource_visits, sum(r.user_weeks) as resource_user_weeks
    from resource_school_year as r join schools as sc using (uai)
    where cast(substr(r.school_year, 1, 4) as integer) between $first_year and $last_year
        and ($resource is null or r.resource = $resource)
    group by sc.code
),
measured_pupil_years as (
    select code, sum(pupils) as pupil_years from years where measured group by code
),
targets as (
    select code, name, population from territory where level = $level
    union all
    select uai as code, name, cast(null as integer) as population from school where $level = 'school'
)
select
    t.code,
    t.name,
    t.population,
    coalesce(b.schools, 0) as schools,
    coalesce(b.measured_schools, 0) as measured_schools,
    lp.pupils,
    b.pupil_years,
    b.school_years,
    ip.pupil_years as invest_pupil_years,
    mp.pupil_years as measured_pupil_years,
    b.measured_pupil_weeks,
    mw.pupil_weeks as measured_pupil_school_weeks,
    b.ips,
    coalesce(i.invest_eur, 0) as invest_eur,
    e.visits,
    e.pupil_user_weeks,
    e.user_weeks,
    r.resource_visits,
    r.resource_user_weeks
from targets as t
left join base as b on b.code = t.code
left join last_pupils as lp on lp.code = t.code
left join invest_pupils as ip on ip.code = t.code
left join invest as i on i.code = t.code
left join ent as e on e.code = t.code
left join measured_pupil_school_weeks as mw on mw.code = t.code
left join resources as r on r.code = t.code
left join measured_pupil_years as mp on mp.code = t.code
order by t.code
