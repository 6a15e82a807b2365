with source as (select * from source_rows),
renamed as (
    select
        lower(trim(level)) as level,
        norm_territory(level, code) as code,
        cast(geometry_wkb as blob) as geometry_wkb,
        cast(source as varchar) as source
    from source
)
select * from renamed
