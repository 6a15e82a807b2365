-- Every detailed shape, for the whole-France simplification (explorer.maps.shapes.build_overview):
-- level, code, geometry_wkb (WKB, WGS84).
with source as (select * from territory_shape)
select level, code, geometry_wkb from source
