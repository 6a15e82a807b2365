create or replace table investment as
with investment as (select * from stg_investment)
select
    i.year, i.funder_level, i.funder_code, i.programme, i.category, i.uai, i.amount_eur, i.source,
    i.beneficiary_level, i.beneficiary_code
from investment as i
where i.uai is null or i.uai in (select uai from school)
order by i.year, i.funder_level, i.funder_code
