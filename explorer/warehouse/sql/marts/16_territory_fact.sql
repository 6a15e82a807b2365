-- Published aggregates per territory (local finance, TNE, GAR…): long layout, one value per
-- territory, period and indicator, with its unit and source. Not summed across sources.
create or replace table territory_fact as
with facts as (select * from stg_territory_fact)
select level, code, period, indicator, value, unit, source
from facts
order by level, code, period, indicator
