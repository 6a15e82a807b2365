-- Rows of {relation} that break the rule « in » on {column}
-- (? = the allowed values, a list; nulls pass):
-- count, first offending value (as text), its rowid (one row; count 0 when none breaks it).
with broken as (
    select rowid, {column} as value
    from {relation}
    where {column} is not null and not list_contains(?, {column})
)
select count(*) as broken, arg_min(cast(value as varchar), rowid) as first_value, min(rowid) as first_rowid
from broken
