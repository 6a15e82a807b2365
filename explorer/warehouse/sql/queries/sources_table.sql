-- Données page: where every mart table's rows come from (one row per table and source).
-- A source missing from stg_source keeps its code as label so that it still shows.
with source as (select * from sources),
renamed as (
    select
        table_name,
        coalesce(label, source) as source_label,
        publisher,
        dataset_id,
        vintage,
        licence,
        row_count,
        is_simulated
    from source
)
select * from renamed
order by table_name, source_label
