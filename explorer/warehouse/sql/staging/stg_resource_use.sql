with source as (select * from source_rows),
renamed as (
    select
        cast(week_start as date) as week_start,
        norm_uai(uai) as uai,
        lower(trim(resource)) as resource,
        cast(visits as bigint) as visits,
        cast(users as bigint) as users,
        cast(source as varchar) as source
    from source
)
select * from renamed
