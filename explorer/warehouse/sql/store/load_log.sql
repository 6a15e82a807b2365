-- Every load of the store, by dataset id: dataset_id, file_name, sha256, rows, loaded_at.
select * from load_log order by dataset_id
