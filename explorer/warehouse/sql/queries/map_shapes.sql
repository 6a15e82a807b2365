-- Detailed shapes of some territories of one level (the inside of a territory).
with shapes as (select * from territory_shape)
select code, geometry_wkb
from shapes
where level = $level and list_contains($codes, code)
order by code
