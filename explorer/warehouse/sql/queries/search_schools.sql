-- Every school for the search box: its name and kind, and the name of its commune.
with schools as (
    select uai, name, kind, commune_code from school
),
communes as (
    select code, name from territory where level = 'commune'
)
select s.uai, s.name, s.kind, s.commune_code, c.name as commune_name
from schools as s
left join communes as c on c.code = s.commune_code
order by s.uai
