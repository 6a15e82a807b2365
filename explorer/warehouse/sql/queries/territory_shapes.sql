-- Simplified outlines (WKB, WGS84) of the territories of one level. Parameters: $level.
with source as (
    select level, code, geometry_wkb from territory_shape where level = $level
)
select code, geometry_wkb from source order by code
