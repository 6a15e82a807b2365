-- One school and the names of its territories, for its sheet. Parameters: $uai.
select
    s.uai,
    s.name,
    s.kind,
    s.sector,
    s.commune_code,
    c.name as commune_name,
    s.departement_code,
    d.name as departement_name,
    s.region_code
from school as s
left join territory as c on c.level = 'commune' and c.code = s.commune_code
left join territory as d on d.level = 'departement' and d.code = s.departement_code
where s.uai = $uai
