with source as (select * from source_rows),
renamed as (
    select
        norm_uai(uai) as uai,
        trim(name) as name,
        lower(trim(kind)) as kind,
        trim(nature) as nature,
        lower(trim(sector)) as sector,
        norm_commune(commune_code) as commune_code,
        cast(lat as double) as lat,
        cast(lon as double) as lon,
        cast(source as varchar) as source
    from source
)
select * from renamed
