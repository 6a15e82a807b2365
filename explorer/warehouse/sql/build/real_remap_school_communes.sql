-- Schools of an arrondissement or a commune déléguée move to their COG 2026 commune
-- (registered frame commune_parents(code, parent_code)).
update stg_school as s
set commune_code = p.parent_code
from commune_parents as p
where p.code = s.commune_code
