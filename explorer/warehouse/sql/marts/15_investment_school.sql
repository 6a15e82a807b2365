-- Every euro of investment attached to a school. Spending not tied to one school (uai null,
-- e.g. ENT licences bought by a département for all its collèges) is allocated in proportion
-- to pupils of the school year that starts in the spending year (the nearest known year
-- outside the data's range) among:
--   * the schools of its beneficiary territory when the line names one (the commune of a
--     SNEE convention, the région of an hybridation convention), of the kind its funder is
--     competent for (a commune's or EPCI's: écoles; a département's: collèges; a région's:
--     lycées; the State's: any);
--   * otherwise the schools its funder is competent for; the State's, every school;
-- and, for a programme aimed at one kind of school, only that kind (SNEE: écoles,
-- hybridation_lycees: lycées). allocated = true marks those shares. A line with no school to
-- go to (no pupils known there) is kept in `investment` but cannot be allocated.
create or replace table investment_school as
with tied as (
    select year, funder_level, funder_code, programme, category, uai, amount_eur, false as allocated
    from investment where uai is not null
),
programme_kind as (
    select * from (values ('SNEE', 'ecole'), ('hybridation_lycees', 'lycee')) as t(programme, kind)
),
untied as (
    select
        row_number() over () as untied_id,
        i.year, i.funder_level, i.funder_code, i.programme, i.category, i.amount_eur,
        i.beneficiary_level, i.beneficiary_code, k.kind as programme_kind,
        case i.funder_level
            when 'commune' then 'ecole' when 'epci' then 'ecole'
            when 'departement' then 'college' when 'region' then 'lycee'
        end as competence_kind
    from investment as i
    left join programme_kind as k using (programme)
    where i.uai is null
),
bounds as (select min(rentree_year) as lo, max(rentree_year) as hi from school_year),
pupils as (
    select
        s.uai, s.kind, s.payer_level, s.payer_code, s.commune_code, s.epci_code, s.departement_code,
        s.academie_code, s.region_code, y.rentree_year, y.pupils
    from school as s join school_year as y using (uai)
),
targets as (
    select
        u.year, u.funder_level, u.funder_code, u.programme, u.category, u.amount_eur,
        p.uai, p.pupils,
        sum(p.pupils) over (partition by u.untied_id) as funder_pupils
    from untied as u
    cross join bounds as b
    join pupils as p
        on p.rentree_year = least(greatest(u.year, b.lo), b.hi)
        and (u.programme_kind is null or p.kind = u.programme_kind)
        and case
            when u.beneficiary_level is not null then u.beneficiary_code = case u.beneficiary_level
                when 'commune' then p.commune_code
                when 'epci' then p.epci_code
                when 'departement' then p.departement_code
                when 'academie' then p.academie_code
                when 'region' then p.region_code
            end
            -- a programme's own kind (above) wins over the funder's competence
            and (u.programme_kind is not null or u.competence_kind is null or p.kind = u.competence_kind)
            else u.funder_level = 'etat' or (p.payer_level = u.funder_level and p.payer_code = u.funder_code)
        end
)
select * from tied
union all
select year, funder_level, funder_code, programme, category, uai, amount_eur * pupils / funder_pupils, true
from targets
