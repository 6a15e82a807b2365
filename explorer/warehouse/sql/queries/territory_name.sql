-- Name of one territory (? = level, code): one row, or none when the territory is unknown.
select name from territory where level = ? and code = ?
