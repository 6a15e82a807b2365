-- Kept schools whose commune is not in the geography (collectivités d'outre-mer, unknown
-- commune, outside the scope): row_count, one row.
select count(*) as row_count from stg_school where commune_code not in (select code from stg_commune)
