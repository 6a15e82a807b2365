-- Staged IPS of the kept schools, one row per (uai, school_year): the row of the
-- dataset listed first in $priority (dataset ids, explorer.warehouse.build_real.PRIORITY),
-- then of the first source by name.
insert into stg_ips by name
with staged as (select * from store.stg_ips where uai in (select uai from stg_school))
select *
from staged
qualify row_number() over (
    partition by uai, school_year
    order by coalesce(list_position($priority, source), len($priority) + 1), source
) = 1
