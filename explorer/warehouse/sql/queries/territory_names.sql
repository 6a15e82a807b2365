-- Code and name of every territory of one level, by code. Parameters: ? (level).
select code, name from territory where level = ? order by code
