-- Schools of one territory with their pupils and IPS of the latest school year.
-- {territory_column} is a school column quoted by explorer.sqlfiles.quote_ident.
with schools as (
    select * from school where {territory_column} = $code
),
latest as (
    select uai, school_year, pupils, ips, measured
    from school_year
    where uai in (select uai from schools)
    qualify row_number() over (partition by uai order by school_year desc) = 1
)
select
    s.uai, s.name, s.kind, s.sector, s.commune_code, s.departement_code, s.lat, s.lon,
    s.payer_level, s.payer_code, l.school_year, l.pupils, l.ips, coalesce(l.measured, false) as measured
from schools as s
left join latest as l using (uai)
order by s.uai
