-- Loaded EPCI unknown to the reference geography are added, one row per code.
insert into stg_epci by name
with loaded as (select * from store.stg_epci)
select loaded.*
from loaded
where loaded.code not in (select code from stg_epci)
qualify row_number() over (partition by loaded.code order by loaded.source) = 1
