-- Shapes simplified for whole-France views (explorer/map_shapes.py:build_overview).
create or replace table territory_shape_overview as
with source as (select * from overview_rows)
select level, code, cast(geometry_wkb as blob) as geometry_wkb
from source
order by level, code
