-- Is any source of the warehouse simulated? (one row, one boolean; false when there is none)
select coalesce(bool_or(is_simulated), false) as is_simulated from sources
