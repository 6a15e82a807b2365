-- Forget the previous load of a dataset (? = dataset id), before logging the new one.
delete from load_log where dataset_id = ?
