with source as (select * from source_rows),
renamed as (
    select
        lower(trim(level)) as level,
        norm_territory(level, code) as code,
        trim(cast(period as varchar)) as period,
        trim(indicator) as indicator,
        cast(value as double) as value,
        trim(unit) as unit,
        cast(source as varchar) as source
    from source
)
select * from renamed
