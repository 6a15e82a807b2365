-- Datasets behind one mart table (? = table name): the dataset id, else the source code,
-- of each source with rows in it, sorted.
with listed as (select * from sources where table_name = ? and row_count > 0)
select coalesce(dataset_id, source) as dataset from listed order by 1
