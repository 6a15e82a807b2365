-- The collectivités that pay for at least one school of the warehouse (competence join):
-- a budget line without UAI is spread over their schools.
with schools as (select payer_level, payer_code from school)
select distinct payer_level || ':' || payer_code as payer_key
from schools
