-- Kept schools whose commune is an arrondissement or a commune déléguée, i.e. listed in the
-- registered frame commune_parents(code, parent_code): row_count, one row.
select count(*) as row_count from stg_school where commune_code in (select code from commune_parents)
