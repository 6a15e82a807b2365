-- The forecasting store (<warehouse>.forecasts.duckdb): fitted models and batch projections,
-- keyed by the warehouse build they come from.
create table if not exists models (
    warehouse_id varchar,
    level varchar,
    code varchar,
    profile varchar,
    spec_key varchar,
    model_json varchar,
    fitted_at timestamptz default current_timestamp,
    primary key (warehouse_id, level, code, profile, spec_key)
);
create table if not exists projections (
    warehouse_id varchar,
    level varchar,
    code varchar,
    profile varchar,
    spec_key varchar,
    scenario varchar,
    ds date,
    yhat double,
    yhat_lower double,
    yhat_upper double,
    computed_at timestamptz default current_timestamp
);
