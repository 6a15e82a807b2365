-- The funders and territories of a budget file that the warehouse knows, with their parents
-- (? = 'level:code' keys, bound as a list).
with wanted as (select unnest(cast(? as varchar[])) as territory_key),
territories as (
    select level, code, region_code, departement_code, epci_code, level || ':' || code as territory_key
    from territory
)
select t.level, t.code, t.region_code, t.departement_code, t.epci_code
from territories as t
join wanted as w on w.territory_key = t.territory_key
