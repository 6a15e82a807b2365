-- What the peer-group rules read about the territories of one level: population, area,
-- overseas status, région (code and name). Parameters: $level.
with source as (
    select * from territory where level = $level
),
regions as (
    select code as region_code, name as region_name from territory where level = 'region'
),
renamed as (
    select
        s.code,
        s.name,
        s.population,
        s.area_km2,
        coalesce(s.is_overseas, false) as is_overseas,
        s.region_code,
        r.region_name
    from source as s
    left join regions as r on r.region_code = s.region_code
)
select * from renamed order by code
