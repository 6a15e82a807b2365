create or replace table usage as
with usage as (select * from stg_usage)
select u.week_start, u.uai, u.profile, u.visits, u.users, u.source
from usage as u
semi join school as s on s.uai = u.uai
order by u.week_start, u.uai
