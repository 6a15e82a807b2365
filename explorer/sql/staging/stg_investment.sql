with source as (select * from source_rows),
renamed as (
    select
        cast(year as integer) as year,
        lower(trim(funder_level)) as funder_level,
        case lower(trim(funder_level))
            when 'departement' then norm_dep(funder_code)
            when 'commune' then norm_commune(funder_code)
            when 'region' then norm_code2(funder_code)
            else trim(cast(funder_code as varchar))
        end as funder_code,
        trim(programme) as programme,
        lower(trim(category)) as category,
        norm_uai(uai) as uai,
        cast(amount_eur as double) as amount_eur,
        cast(source as varchar) as source,
        lower(trim(beneficiary_level)) as beneficiary_level,
        case lower(trim(beneficiary_level))
            when 'departement' then norm_dep(beneficiary_code)
            when 'commune' then norm_commune(beneficiary_code)
            when 'region' then norm_code2(beneficiary_code)
            when 'academie' then norm_code2(beneficiary_code)
            else trim(cast(beneficiary_code as varchar))
        end as beneficiary_code
    from source
)
select * from renamed
