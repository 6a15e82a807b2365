-- The territories of one level (or one territory) with what a forecast needs: name and
-- holiday zone. Parameters: $level, $code (null = every territory of the level).
with territories as (
    select level, code, name, holiday_zone
    from territory
    where level = $level and ($code is null or code = $code)
)
select code, name, holiday_zone
from territories
order by code
