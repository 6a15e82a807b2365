-- The UAIs of a budget file that the warehouse knows (? = the file's UAIs, bound as a list).
with wanted as (select unnest(cast(? as varchar[])) as uai),
schools as (select uai from school)
select s.uai
from schools as s
join wanted as w on w.uai = s.uai
