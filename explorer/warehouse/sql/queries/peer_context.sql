-- What the peer-group rules read about the territories of one level: population, area,
-- overseas status. Parameters: $level.
with source as (
    select * from territory where level = $level
),
renamed as (
    select code, name, population, area_km2, coalesce(is_overseas, false) as is_overseas from source
)
select * from renamed order by code
