-- First rowid of the rows being checked (0 when there is none): the rowids that follow it
-- are positions in the source rows. Placeholder: {relation} (candidate).
select coalesce(min(rowid), 0) as first_rowid from {relation}
