create or replace table enrolment as
with enrolment as (select * from stg_enrolment)
select e.uai, e.school_year, e.pupils, e.source
from enrolment as e
semi join school as s on s.uai = e.uai
order by e.uai, e.school_year
