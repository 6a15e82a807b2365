with source as (select * from source_rows),
renamed as (
    select
        norm_commune(code) as code,
        trim(name) as name,
        norm_departement(departement_code) as departement_code,
        nullif(trim(cast(epci_code as varchar)), '') as epci_code,
        cast(population as integer) as population,
        cast(lat as double) as lat,
        cast(lon as double) as lon,
        cast(area_km2 as double) as area_km2,
        cast(source as varchar) as source
    from source
)
select * from renamed
