-- Log a load: ? = dataset id, file name, SHA-256, rows appended, when (UTC).
insert into load_log values (?, ?, ?, ?, ?)
