-- Rows of {relation} that break the rule « school_year » on {column} (? = the pattern
-- AAAA-AAAA; the second year follows the first): count, first offending value (as text),
-- its rowid (one row; count 0 when none breaks it).
with broken as (
    select rowid, {column} as value
    from {relation}
    where not (
        regexp_full_match({column}, ?)
        and cast(substr({column}, 6, 4) as integer) = cast(substr({column}, 1, 4) as integer) + 1
    )
)
select count(*) as broken, arg_min(cast(value as varchar), rowid) as first_value, min(rowid) as first_rowid
from broken
