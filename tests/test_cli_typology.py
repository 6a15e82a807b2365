"""``python -m explorer typology`` end to end on the Rennes warehouse."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from explorer.analysis.typology import Typology
from explorer.cli.main import main


def test_typology_csv_and_printed_figures(rennes_db, rennes, tmp_path, capsys):
    out = tmp_path / "classes.csv"
    assert main(["typology", "--level", "epci", "--db", str(rennes_db), "--out", str(out), "--k", "3"]) == 0
    table = pd.read_csv(out, dtype={"code": str})
    assert list(table.columns) == [
        "code",
        "cluster",
        "basis",
        "invest_per_pupil",
        "ent_visits_per_pupil_week",
        "ips",
        "log_density",
    ]
    assert sorted(table["cluster"].unique()) == [1, 2, 3]
    assert table["code"].str.fullmatch(r"\d{9}").all()  # EPCI SIREN, kept as text
    # the CLI's classes are those of the estimator on the written variables (same seed)
    fitted = table[table["basis"] == "toutes les variables"]
    refit = Typology(k=3, random_state=0).fit(fitted.drop(columns=["code", "cluster", "basis"]))
    assert (refit.labels_ + 1).tolist() == fitted["cluster"].tolist()
    printed = capsys.readouterr().out
    assert "k = 3" in printed
    assert f"silhouette = {refit.silhouette_:.3f}" in printed
    assert f"{len(table)} territoires classés" in printed


def test_k_chosen_by_silhouette_when_absent(rennes_db, tmp_path, capsys):
    out = tmp_path / "classes.csv"
    assert main(["typology", "--level", "commune", "--db", str(rennes_db), "--out", str(out)]) == 0
    table = pd.read_csv(out, dtype={"code": str})
    fitted = table[table["basis"] == "toutes les variables"]
    refit = Typology(random_state=0).fit(fitted.drop(columns=["code", "cluster", "basis"]))
    printed = capsys.readouterr().out
    assert f"k = {refit.n_clusters_}\n" in printed
    partial = table[table["basis"] != "toutes les variables"]
    assert f"{len(table)} territoires classés (dont {len(partial)} sur une partie des variables)" in printed
    assert partial["basis"].str.startswith("variables disponibles (manque : ").all()
    assert table["cluster"].nunique() == refit.n_clusters_


def test_bad_k_is_a_french_error(rennes_db, tmp_path, capsys):
    code = main(["typology", "--level", "epci", "--db", str(rennes_db), "--out", str(tmp_path / "x.csv"), "--k", "99"])
    assert code == 2
    assert "Erreur : k=99 classes demandées" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize("level", ["departement"])
def test_module_entry_point(rennes_db, tmp_path, level):
    out = tmp_path / "d.csv"
    done = subprocess.run(
        [sys.executable, "-m", "explorer", "typology", "--level", level, "--db", str(rennes_db), "--out", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    table = pd.read_csv(out, dtype={"code": str})
    assert sorted(table["code"]) == ["22", "29", "35", "56"]
    assert set(table["basis"]) == {"toutes les variables"}
    refit = Typology(random_state=0).fit(table.drop(columns=["code", "cluster", "basis"]))
    assert refit.silhouette_curve_["k"].tolist() == [3]  # 4 départements: 3 ≤ k < 4
    assert f"k = {refit.n_clusters_}\n" in done.stdout
