-- Schools with their territories and the payer given by the competence join:
-- école -> commune (or its EPCI when the commune transferred the competence),
-- collège -> département, lycée -> région.
create or replace table school as
with schools as (select * from stg_school),
communes as (select code, departement_code, epci_code from stg_commune),
transfers as (select distinct commune_code, epci_code from stg_school_competence)
select
    s.uai,
    s.name,
    s.kind,
    s.nature,
    s.sector,
    s.commune_code,
    c.epci_code,
    c.departement_code,
    d.academie_code,
    d.region_code,
    s.lat,
    s.lon,
    case s.kind
        when 'ecole' then case when t.epci_code is not null then 'epci' else 'commune' end
        when 'college' then 'departement'
        else 'region'
    end as payer_level,
    case s.kind
        when 'ecole' then coalesce(t.epci_code, s.commune_code)
        when 'college' then c.departement_code
        else d.region_code
    end as payer_code,
    s.source
from schools as s
join communes as c on c.code = s.commune_code
join stg_departement as d on d.code = c.departement_code
left join transfers as t on t.commune_code = s.commune_code
order by s.uai
