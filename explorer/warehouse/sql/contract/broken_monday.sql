-- Rows of {relation} that break the rule « monday » on {column}
-- (a date that is a Monday; nulls pass):
-- count, first offending value (as text), its rowid (one row; count 0 when none breaks it).
with broken as (
    select rowid, {column} as value
    from {relation}
    where {column} is not null and isodow({column}) <> 1
)
select count(*) as broken, arg_min(cast(value as varchar), rowid) as first_value, min(rowid) as first_rowid
from broken
