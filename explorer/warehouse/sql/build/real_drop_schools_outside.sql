-- Schools outside the geography (see real_schools_outside) are left out.
delete from stg_school where commune_code not in (select code from stg_commune)
