-- Staged ENT use of the kept schools, one row per (week_start, uai, profile): the row of the
-- dataset listed first in $priority (dataset ids, explorer.warehouse.build_real.PRIORITY),
-- then of the first source by name.
insert into stg_usage by name
with staged as (select * from store.stg_usage where uai in (select uai from stg_school))
select *
from staged
qualify row_number() over (
    partition by week_start, uai, profile
    order by coalesce(list_position($priority, source), len($priority) + 1), source
) = 1
