with source as (select * from source_rows),
renamed as (
    select
        trim(cast(code as varchar)) as code,
        trim(name) as name,
        upper(trim(kind)) as kind,
        cast(source as varchar) as source
    from source
)
select * from renamed
