-- Context of every school: its commune's population and area (for the population density),
-- its position. No parameters.
with schools as (
    select uai, name, kind, commune_code, lat, lon from school
),
communes as (
    select code, population, area_km2 from territory where level = 'commune'
),
renamed as (
    select s.uai as code, s.name, c.population, c.area_km2, s.lat, s.lon, s.kind
    from schools as s left join communes as c on c.code = s.commune_code
)
select * from renamed order by code
