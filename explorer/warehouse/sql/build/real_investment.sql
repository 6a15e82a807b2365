-- Staged investment lines: those of a kept school, and those attached to no school.
insert into stg_investment by name
with staged as (select * from store.stg_investment)
select * from staged
where uai is null or uai in (select uai from stg_school)
