-- Light shapes of some territories of one level (whole-France views).
with shapes as (select * from territory_shape_overview)
select code, geometry_wkb
from shapes
where level = $level and list_contains($codes, code)
order by code
