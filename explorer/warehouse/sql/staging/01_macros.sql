-- Code normalisation shared by every staging model. Départements arrive as '35', '035',
-- '2A', '02A' or '971' depending on the publisher; the warehouse keeps '35', '2A', '971'.
create or replace macro norm_dep(x) as
    case
        when x is null then null
        when length(trim(cast(x as varchar))) = 3 and trim(cast(x as varchar)) like '0%'
            then upper(substr(trim(cast(x as varchar)), 2))
        when length(trim(cast(x as varchar))) = 1 then lpad(trim(cast(x as varchar)), 2, '0')
        else upper(trim(cast(x as varchar)))
    end;
-- Communes: 5 characters, leading zeros restored when a spreadsheet ate them ('1001' -> '01001').
-- lpad also truncates: a longer value is kept whole so the contract refuses it ('350131').
create or replace macro norm_commune(x) as
    case
        when x is null then null
        when length(trim(cast(x as varchar))) >= 5 then upper(trim(cast(x as varchar)))
        else upper(lpad(trim(cast(x as varchar)), 5, '0'))
    end;
-- UAI: 8 characters, upper-case check letter.
create or replace macro norm_uai(x) as
    case when x is null then null else upper(trim(cast(x as varchar))) end;
-- Two-character codes (régions, académies): '1' -> '01', '084' -> '84'; other lengths are kept
-- whole (lpad would truncate '123' to '12') so the contract refuses them.
create or replace macro norm_code2(x) as
    case
        when x is null then null
        when length(trim(cast(x as varchar))) = 3 and trim(cast(x as varchar)) like '0%'
            then substr(trim(cast(x as varchar)), 2)
        when length(trim(cast(x as varchar))) >= 2 then trim(cast(x as varchar))
        else lpad(trim(cast(x as varchar)), 2, '0')
    end;
-- A territory code of a given level ('region', 'academie', 'departement', 'epci', 'commune'),
-- or the State's 'FR': each normalised as its level says.
create or replace macro norm_territory(level, x) as
    case lower(trim(level))
        when 'departement' then norm_dep(x)
        when 'commune' then norm_commune(x)
        when 'region' then norm_code2(x)
        when 'academie' then norm_code2(x)
        else trim(cast(x as varchar))
    end;
