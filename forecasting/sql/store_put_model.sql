-- Store (or replace) one fitted model. Parameters, in order: warehouse_id, level, code,
-- profile, spec_key, model_json.
insert or replace into models (warehouse_id, level, code, profile, spec_key, model_json)
values (?, ?, ?, ?, ?, ?)
