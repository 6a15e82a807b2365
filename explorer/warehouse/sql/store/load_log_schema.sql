-- The staging store's load log: one row per loaded dataset (file, SHA-256, rows, when).
create table if not exists load_log (
    dataset_id varchar not null,
    file_name varchar not null,
    sha256 varchar not null,
    rows bigint not null,
    loaded_at timestamp not null
)
