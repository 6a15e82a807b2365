-- Context of the territories of one level: population and area (for the population density),
-- representative point. Parameters: $level.
with source as (
    select * from territory where level = $level
),
renamed as (
    select code, name, population, area_km2, lat, lon from source
)
select * from renamed order by code
