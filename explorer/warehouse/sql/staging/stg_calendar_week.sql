with source as (select * from source_rows),
renamed as (
    select
        cast(week_start as date) as week_start,
        trim(holiday_zone) as holiday_zone,
        cast(school_day_share as double) as school_day_share,
        cast(source as varchar) as source
    from source
)
select * from renamed
