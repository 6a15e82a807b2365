-- Loaded EPCI refresh the reference ones: name and source always, kind when the load has one.
update stg_epci as r
set name = l.name, kind = coalesce(l.kind, r.kind), source = l.source
from (
    select code, any_value(name) as name, any_value(kind) as kind, any_value(source) as source
    from store.stg_epci
    group by code
) as l
where l.code = r.code
