-- The other schools of one school's kind in its département: the group its sheet compares it
-- with. Parameters: $kind, $departement, $uai.
select uai from school
where kind = $kind and departement_code = $departement and uai <> $uai
order by uai
