-- Every territory with its parents (navigation of the Carte page).
with territories as (select * from territory)
select
    level, code, name, region_code, academie_code, departement_code, epci_code,
    population, lat, lon, is_overseas
from territories
order by level, code
