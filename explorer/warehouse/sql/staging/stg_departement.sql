with source as (select * from source_rows),
renamed as (
    select
        norm_dep(code) as code,
        trim(name) as name,
        norm_code2(region_code) as region_code,
        norm_code2(academie_code) as academie_code,
        cast(source as varchar) as source
    from source
)
select * from renamed
