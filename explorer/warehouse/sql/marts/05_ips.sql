create or replace table ips as
with ips as (select * from stg_ips)
select i.uai, i.school_year, i.ips, i.source
from ips as i
semi join school as s on s.uai = i.uai
order by i.uai, i.school_year
