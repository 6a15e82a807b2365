-- Every territory of every level with its parents, population and holiday zone.
-- Population sums the known populations of the member communes; population_complete says
-- whether every member's was known (Mayotte's communes have none in the package, so its
-- territories have a null population: a missing population is not zero).
create or replace table territory as
with communes as (
    select
        c.code, c.name, c.departement_code, d.academie_code, d.region_code, c.epci_code,
        c.population, c.lat, c.lon, c.area_km2, a.holiday_zone
    from stg_commune as c
    join stg_departement as d on d.code = c.departement_code
    join stg_academie as a on a.code = d.academie_code
),
epci_home as (
    -- An EPCI's département is that of its most populated commune (a few EPCI straddle two).
    select epci_code, arg_max(departement_code, coalesce(population, 0)) as departement_code
    from communes where epci_code is not null group by epci_code
),
rollup_region as (
    select region_code as code, region_code, null as academie_code, null as departement_code,
        null as epci_code, count(*) as communes, count(population) as known, sum(population) as population,
        avg(lat) as lat, avg(lon) as lon, sum(area_km2) as area_km2, min(holiday_zone) as holiday_zone
    from communes group by region_code
),
rollup_academie as (
    select academie_code as code, any_value(region_code) as region_code, academie_code,
        null as departement_code, null as epci_code, count(*) as communes, count(population) as known,
        sum(population) as population, avg(lat) as lat, avg(lon) as lon, sum(area_km2) as area_km2,
        any_value(holiday_zone) as holiday_zone
    from communes group by academie_code
),
rollup_departement as (
    select departement_code as code, any_value(region_code) as region_code,
        any_value(academie_code) as academie_code, departement_code, null as epci_code,
        count(*) as communes, count(population) as known, sum(population) as population,
        avg(lat) as lat, avg(lon) as lon, sum(area_km2) as area_km2, any_value(holiday_zone) as holiday_zone
    from communes group by departement_code
),
rollup_epci as (
    select c.epci_code as code, d.region_code, d.academie_code, h.departement_code, c.epci_code,
        count(*) as communes, count(c.population) as known, sum(c.population) as population,
        avg(c.lat) as lat, avg(c.lon) as lon, sum(c.area_km2) as area_km2, a.holiday_zone
    from communes as c
    join epci_home as h on h.epci_code = c.epci_code
    join stg_departement as d on d.code = h.departement_code
    join stg_academie as a on a.code = d.academie_code
    group by c.epci_code, d.region_code, d.academie_code, h.departement_code, a.holiday_zone
),
levels as (
    select 'region' as level, r.*, g.name from rollup_region as r join stg_region as g on g.code = r.code
    union all
    select 'academie', r.*, g.name from rollup_academie as r join stg_academie as g on g.code = r.code
    union all
    select 'departement', r.*, g.name from rollup_departement as r join stg_departement as g on g.code = r.code
    union all
    select 'epci', r.*, g.name from rollup_epci as r join stg_epci as g on g.code = r.code
    union all
    select 'commune', code, region_code, academie_code, departement_code, epci_code, 1,
        (population is not null)::int, population, lat, lon, area_km2, holiday_zone, name
    from communes
)
select
    level,
    code,
    name,
    region_code,
    academie_code,
    departement_code,
    epci_code,
    population,
    known = communes as population_complete,
    communes as commune_count,
    area_km2,
    lat,
    lon,
    holiday_zone,
    region_code in ('01', '02', '03', '04', '06') as is_overseas
from levels
order by level, code
