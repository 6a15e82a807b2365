with source as (select * from source_rows),
renamed as (
    select norm_region(code) as code, trim(name) as name, cast(source as varchar) as source
    from source
)
select * from renamed
