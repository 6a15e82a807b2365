with source as (select * from source_rows),
renamed as (
    select
        cast(year as integer) as year,
        lower(trim(funder_level)) as funder_level,
        norm_territory(funder_level, funder_code) as funder_code,
        trim(programme) as programme,
        lower(trim(category)) as category,
        norm_uai(uai) as uai,
        cast(amount_eur as double) as amount_eur,
        cast(source as varchar) as source,
        lower(trim(beneficiary_level)) as beneficiary_level,
        norm_territory(beneficiary_level, beneficiary_code) as beneficiary_code
    from source
)
select * from renamed
