create or replace table resource_use as
with resource_use as (select * from stg_resource_use)
select r.week_start, r.uai, r.resource, r.visits, r.users, r.source
from resource_use as r
semi join school as s on s.uai = r.uai
order by r.week_start, r.uai
