with source as (select * from source_rows),
renamed as (
    select
        norm_commune(commune_code) as commune_code,
        trim(cast(epci_code as varchar)) as epci_code,
        cast(source as varchar) as source
    from source
)
select * from renamed
