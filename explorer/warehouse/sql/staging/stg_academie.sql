with source as (select * from source_rows),
renamed as (
    select
        norm_academie(code) as code,
        trim(name) as name,
        norm_region(region_code) as region_code,
        trim(holiday_zone) as holiday_zone,
        cast(source as varchar) as source
    from source
)
select * from renamed
