-- Staged schools, one row per UAI: the row of the dataset listed first in $priority (dataset
-- ids, explorer.warehouse.build_real.PRIORITY), then of the first source by name.
insert into stg_school by name
with staged as (select * from store.stg_school)
select *
from staged
qualify row_number() over (
    partition by uai order by coalesce(list_position($priority, source), len($priority) + 1), source
) = 1
