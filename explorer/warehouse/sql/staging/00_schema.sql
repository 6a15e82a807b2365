-- Staging contract: every source (the demo generator, the official-data connectors, a
-- collectivité's own file) writes these tables, and only these. Marts read nothing else.
create table if not exists stg_region (
    code varchar not null,            -- INSEE région code: '11', '01' … '06' for DROM
    name varchar not null,
    source varchar not null
);
create table if not exists stg_academie (
    code varchar not null,            -- MENJ académie code: '01' Paris … '70' Normandie
    name varchar not null,
    region_code varchar not null,
    holiday_zone varchar not null,    -- 'A', 'B', 'C', 'Corse', 'Outre-mer'
    source varchar not null
);
create table if not exists stg_departement (
    code varchar not null,            -- '01' … '95', '2A', '2B', '971' … '976'
    name varchar not null,
    region_code varchar not null,
    academie_code varchar not null,
    source varchar not null
);
create table if not exists stg_epci (
    code varchar not null,            -- SIREN, 9 digits
    name varchar not null,
    kind varchar,                     -- CC, CA, CU, METRO, MET69
    source varchar not null
);
create table if not exists stg_commune (
    code varchar not null,            -- INSEE commune code, 5 chars
    name varchar not null,
    departement_code varchar not null,
    epci_code varchar,                -- null for the few communes outside any EPCI
    population integer,               -- population municipale; null when unknown
    lat double,
    lon double,
    area_km2 double,
    source varchar not null
);
create table if not exists stg_territory_shape (
    level varchar not null,
    code varchar not null,
    geometry_wkb blob not null,       -- WGS84 (EPSG:4326), simplified for its level
    source varchar not null
);
create table if not exists stg_school (
    uai varchar not null,             -- 7 digits + 1 letter
    name varchar not null,
    kind varchar not null,            -- 'ecole', 'college', 'lycee'
    nature varchar,                   -- e.g. 'Ecole élémentaire', 'LEGT', 'LP', 'LPO'
    sector varchar not null,          -- 'public', 'prive'
    commune_code varchar not null,
    lat double,
    lon double,
    source varchar not null
);
create table if not exists stg_school_competence (
    commune_code varchar not null,    -- commune whose école competence went to its EPCI
    epci_code varchar not null,
    source varchar not null
);
create table if not exists stg_enrolment (
    uai varchar not null,
    school_year varchar not null,     -- 'YYYY-YYYY', rentrée year first
    pupils integer not null,
    source varchar not null
);
create table if not exists stg_ips (
    uai varchar not null,
    school_year varchar not null,
    ips double not null,
    source varchar not null
);
create table if not exists stg_investment (
    year integer not null,
    funder_level varchar not null,    -- 'etat', 'region', 'departement', 'epci', 'commune'
    funder_code varchar not null,     -- 'FR' for the State, else the territory code (SIREN for EPCI)
    programme varchar not null,       -- 'droit_commun', 'SNEE', 'hybridation_lycees', 'TNE', …
    category varchar not null,
    uai varchar,                      -- null for spending not tied to one school
    amount_eur double not null,
    source varchar not null,
    -- For a line not tied to one school: the territory whose schools benefit (the commune of a
    -- SNEE convention, the région of an hybridation convention). Optional: null means « the
    -- schools the funder is competent for » (the State: every school).
    beneficiary_level varchar,
    beneficiary_code varchar
);
-- Stores staged by an earlier version lack the optional columns.
alter table stg_investment add column if not exists beneficiary_level varchar;
alter table stg_investment add column if not exists beneficiary_code varchar;
create table if not exists stg_usage (
    week_start date not null,         -- Monday
    uai varchar not null,
    profile varchar not null,         -- 'eleve', 'parent', 'enseignant', 'personnel'
    visits bigint not null,
    users bigint,
    source varchar not null
);
create table if not exists stg_resource_use (
    week_start date not null,
    uai varchar not null,
    resource varchar not null,
    visits bigint not null,
    users bigint,
    source varchar not null
);
create table if not exists stg_source (
    source varchar not null,          -- the value found in the 'source' column of the tables
    label varchar not null,
    publisher varchar,
    dataset_id varchar,
    vintage varchar,
    url varchar,
    licence varchar,
    is_simulated boolean not null,
    loaded_at timestamp not null
);
create table if not exists stg_calendar_week (
    week_start date not null,         -- Monday
    holiday_zone varchar not null,    -- 'A', 'B', 'C', 'Corse', 'Outre-mer'
    school_day_share double not null, -- share of the 5 weekdays that are school days
    source varchar not null
);
create table if not exists stg_territory_fact (
    level varchar not null,           -- 'region', 'academie', 'departement', 'epci', 'commune'
    code varchar not null,            -- code of the territory at that level
    period varchar not null,          -- '2024' (exercice), '2024-2025' (school year), '2025-06' (month)
    indicator varchar not null,       -- publisher's indicator, e.g. "Dépenses d'équipement"
    value double,                     -- null when the publisher gives no value (not zero)
    unit varchar not null,            -- '€', '€/hab', 'élèves', 'accès'…
    source varchar not null
);
