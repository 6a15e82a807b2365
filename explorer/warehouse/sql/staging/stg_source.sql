with source as (select * from source_rows),
renamed as (
    select
        cast(source as varchar) as source,
        label,
        publisher,
        dataset_id,
        vintage,
        url,
        licence,
        cast(is_simulated as boolean) as is_simulated,
        cast(loaded_at as timestamp) as loaded_at
    from source
)
select * from renamed
