with source as (select * from source_rows),
renamed as (
    select
        norm_departement(code) as code,
        trim(name) as name,
        norm_region(region_code) as region_code,
        norm_academie(academie_code) as academie_code,
        cast(source as varchar) as source
    from source
)
select * from renamed
