with source as (select * from source_rows),
renamed as (
    select
        norm_uai(uai) as uai,
        trim(cast(school_year as varchar)) as school_year,
        cast(pupils as integer) as pupils,
        cast(source as varchar) as source
    from source
)
select * from renamed
