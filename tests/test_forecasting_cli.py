"""The forecasting CLI and batch end to end on the Rennes fixture (académie 14)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from forecasting import cli, exports
from forecasting.batch import run_level
from forecasting.model import ModelSpec
from forecasting.store import ForecastStore, default_store_path, warehouse_id
from tests.scenarios import PLUS40

RENNES_DEPARTEMENTS = ["22", "29", "35", "56"]


@pytest.fixture
def plus40(tmp_path: Path) -> Path:
    path = tmp_path / "plus40.json"
    path.write_text(json.dumps(PLUS40), encoding="utf-8")
    return path


def test_project_writes_one_row_per_week_and_scenario(rennes_db, plus40, tmp_path, capsys):
    out = tmp_path / "out.csv"
    args = ["project", "--territory", "departement:35", "--scenario", str(plus40), "--db", str(rennes_db)]
    assert cli.main([*args, "--out", str(out), "--no-store"]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # French Excel: UTF-8 with BOM, `;`, decimal comma
    frame = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig", dtype={"Code": str})
    low, high = f"Borne basse {exports.CI} ({exports.VISITS})", f"Borne haute {exports.CI} ({exports.VISITS})"
    value = f"Projection ({exports.VISITS})"
    assert {"Scénario", "Semaine du (lundi)", "Année scolaire", value, low, high} <= set(frame.columns)
    assert sorted(frame["Scénario"].unique()) == sorted([exports.BASELINE_LABEL, "plus40"])
    frame = frame.rename(columns={"Scénario": "scenario", "Semaine du (lundi)": "date", value: "yhat"})
    weeks = frame.groupby("scenario")["date"].agg(["count", "min", "max", "nunique"])
    assert (weeks["count"] == weeks["nunique"]).all()  # one row per date and scenario
    assert weeks.loc[exports.BASELINE_LABEL, "min"] == "2026-07-06"  # the week after the last measured one
    assert weeks.loc[exports.BASELINE_LABEL, "max"] == "2031-08-25"
    assert (frame[low] <= frame["yhat"]).all() and (frame["yhat"] <= frame[high]).all()
    # the scenario only moves school years from 2028-2029 on
    wide = frame.pivot(index="date", columns="scenario", values="yhat")
    assert (wide.loc[:"2028-07-31", "plus40"] == wide.loc[:"2028-07-31", exports.BASELINE_LABEL]).all()
    assert "Ille-et-Vilaine" in capsys.readouterr().out


def test_project_refuses_a_malformed_scenario_naming_the_field(rennes_db, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**PLUS40, "changes": [{**PLUS40["changes"][0], "category": "tablettes"}]}))
    args = ["project", "--territory", "departement:35", "--scenario", str(bad), "--db", str(rennes_db)]
    assert cli.main([*args, "--out", str(tmp_path / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert "changes[0].category" in err and "tablettes" in err
    assert not (tmp_path / "x.csv").exists()


def test_project_refuses_an_unknown_territory(rennes_db, tmp_path, capsys):
    args = ["project", "--territory", "departement:75", "--db", str(rennes_db), "--out", str(tmp_path / "x.csv")]
    assert cli.main(args) == 2
    assert "departement:75" in capsys.readouterr().err
    assert cli.main(["project", "--territory", "35", "--db", str(rennes_db), "--out", "x.csv"]) == 2
    assert "NIVEAU:CODE" in capsys.readouterr().err


def test_backtest_json_gives_both_models(rennes_db, capsys):
    assert cli.main(["backtest", "--level", "departement", "--db", str(rennes_db), "--limit", "2", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert all(set(r) == {"territory", "model", "mase", "smape"} for r in rows)
    table = pd.DataFrame(rows)
    assert sorted(table["territory"].unique()) == ["22", "29", "ensemble"]
    for territory, group in table.groupby("territory"):
        assert sorted(group["model"]) == ["prophet", "seasonal_naive"], territory
    assert (table["mase"] > 0).all() and table["smape"].between(0, 200).all()
    overall = table[table["territory"] == "ensemble"].set_index("model")["mase"]
    per = table[table["territory"] != "ensemble"].groupby("model")["mase"].mean()
    assert overall.sort_index().tolist() == pytest.approx(per.sort_index().tolist())


def test_run_projects_every_departement_in_parallel_and_stores_them(rennes_db, tmp_path):
    store_path = tmp_path / "store.duckdb"
    from forecasting.scenario import parse_scenario

    result = run_level(rennes_db, "departement", scenarios=(parse_scenario(PLUS40),), store_path=store_path, n_jobs=2)
    assert result.summary["code"].tolist() == RENNES_DEPARTEMENTS
    assert result.summary["status"].eq("ok").all(), result.summary
    assert result.stored
    con = duckdb.connect(str(rennes_db), read_only=True)
    wid = warehouse_id(con)
    con.close()
    store = ForecastStore(store_path, wid)
    stored = store.projections("departement")
    assert sorted(stored["code"].unique()) == RENNES_DEPARTEMENTS
    assert sorted(stored["scenario"].unique()) == ["baseline", "plus40"]
    counts = stored.groupby(["code", "scenario"]).size()
    assert (counts == counts.iloc[0]).all()
    # the models are stored too: the page and the CLI reuse them instead of refitting
    assert store.get_model("departement", "35", None, ModelSpec().key()) is not None
    assert store.get_model("departement", "35", "eleve", ModelSpec().key()) is None
    # a second run replaces the stored projections, it does not add to them
    run_level(rennes_db, "departement", store_path=store_path, progress=False, limit=1)
    again = store.projections("departement")
    assert len(again[again["code"] == "22"]) == counts.loc["22"].sum() // 2  # baseline only now
    assert len(again[again["code"] == "35"]) == counts.loc["35"].sum()


def test_an_unavailable_store_is_skipped_not_fatal(tmp_path):
    store = ForecastStore(tmp_path / "no-such-folder" / "store.duckdb", "w")
    assert store.get_model("departement", "35", None, "k") is None
    assert store.put_models([("departement", "35", None, "k", "{}")]) is False
    assert store.projections("departement").empty


def test_store_sits_beside_the_warehouse():
    assert default_store_path("data/warehouse.duckdb") == Path("data/warehouse.duckdb.forecasts.duckdb")


def test_run_on_a_local_dask_cluster(rennes_db, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        result = run_level(
            rennes_db,
            "departement",
            scheduler=cluster.scheduler_address,
            store_path=tmp_path / "s.duckdb",
            progress=False,
        )
    assert result.summary["code"].tolist() == RENNES_DEPARTEMENTS
    assert result.summary["status"].eq("ok").all()
    local = run_level(rennes_db, "departement", store_path=tmp_path / "l.duckdb", progress=False)
    # same tasks, same inputs, same seeds: the cluster gives the local projections bit for bit
    key = ["code", "scenario", "ds"]
    pd.testing.assert_frame_equal(
        result.projections.sort_values(key, ignore_index=True), local.projections.sort_values(key, ignore_index=True)
    )


def test_run_leaves_out_territories_under_statistical_secrecy(rennes_db, rennes, tmp_path, secrecy_on):
    result = run_level(rennes_db, "epci", store_path=tmp_path / "s.duckdb", progress=False)
    summary = result.summary.set_index("code")
    assert len(summary) == scalar_count(rennes, "select count(*) from territory where level = 'epci'")
    last_week = rennes.execute("select max(week_start) from usage").fetchone()[0]
    measured = dict(
        rennes.execute(
            "select s.epci_code, count(distinct u.uai) from usage u join school s using (uai) "
            "where u.week_start = ? group by 1",
            [last_week],
        ).fetchall()
    )
    for code, row in summary.iterrows():
        if measured.get(code, 0) == 0:
            assert row["status"] == "ignoré" and "aucun établissement mesuré" in row["message"], code
        elif measured.get(code, 0) < 5:
            assert row["status"] == "ignoré" and "secret statistique" in row["message"], code
        elif row["weeks"] < 52:  # measured since the last rentrée only
            assert row["status"] == "ignoré" and "Série trop courte" in row["message"], code
        else:
            assert row["status"] == "ok", (code, row["message"])
    assert summary["status"].value_counts().to_dict().get("ok", 0) >= 10
    assert set(result.projections["code"]) == set(summary.index[summary["status"] == "ok"])


def scalar_count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return int(con.execute(sql).fetchone()[0])


def test_run_spreads_an_amount_per_collegien_with_each_territorys_share(rennes_db, tmp_path):
    from forecasting.scenario import parse_scenario

    per_college = {**PLUS40, "name": "college", "changes": [{**PLUS40["changes"][0], "pupils": "concernes"}]}
    scenarios = (parse_scenario(PLUS40), parse_scenario(per_college))
    result = run_level(rennes_db, "departement", scenarios=scenarios, store_path=tmp_path / "s.duckdb", limit=1)
    assert result.summary["status"].eq("ok").all(), result.summary
    last = result.projections[result.projections["ds"] >= "2030-09-01"].groupby("scenario")["yhat"].mean()
    # 40 € per collégien du public (18 % of the pupils) move use less than 40 € per pupil
    assert abs(last["college"] - last["baseline"]) < abs(last["plus40"] - last["baseline"])
    assert last["college"] != last["baseline"]
