with source as (select * from source_rows),
renamed as (
    select
        lower(trim(level)) as level,
        case lower(trim(level))
            when 'departement' then norm_dep(code)
            when 'commune' then norm_commune(code)
            when 'region' then norm_code2(code)
            when 'academie' then norm_code2(code)
            else trim(cast(code as varchar))
        end as code,
        trim(cast(period as varchar)) as period,
        trim(indicator) as indicator,
        cast(value as double) as value,
        trim(unit) as unit,
        cast(source as varchar) as source
    from source
)
select * from renamed
