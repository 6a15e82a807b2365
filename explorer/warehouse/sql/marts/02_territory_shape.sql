create or replace table territory_shape as
with shapes as (select * from stg_territory_shape)
select s.level, s.code, s.geometry_wkb
from shapes as s
semi join territory as t on t.level = s.level and t.code = s.code
order by s.level, s.code
