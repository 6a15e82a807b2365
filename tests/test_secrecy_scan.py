"""Statistical secrecy, one scan across every producer of per-territory figures (issue 9).

Secrecy is a deployment setting, off by default (issue 16: the figures are public); this scan
runs the whole module under the setting of a deployment that loads non-public data,
``EXPLORER_SECRET_MIN_SCHOOLS=5`` and ``EXPLORER_SECRET_MIN_USERS=11``.

The small territories are found here in SQL, straight from the marts and independently of the
code under test: the communes with 1 to 4 schools (table ``school``), and, for the usage and
resource indicators, the communes with 1 to 4 measured schools in the period or fewer than 11
users (``docs/indicators.md``, « Secret statistique »). Then every producer the pages and
exports call — Carte, Diagnostic CSV/XLSX, Comparer, Typologie, Investissement → usage,
Prospective — must show no number for them: « secret statistique », empty/NaN, absent, or a
refused projection. Each producer must also show numbers for some larger territory, so that the
scan cannot pass on an empty or all-masked output.

Context columns that are not indicators of the catalogue (population, the number of schools in
a tooltip) are not scanned; the Comparer's « Élèves » count is (masked under 5 schools, like the
Diagnostic's).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from explorer.analysis.features import VARIABLES
from explorer.analysis.spend_use import spend_use
from explorer.analysis.typology_report import BASIS_HEADER, export_table, profile_table, run_typology
from explorer.facts import secrecy as secrecy_setting
from explorer.facts.indicators import INDICATORS, Indicator, indicator_table
from explorer.geo.territories import territory_index
from explorer.maps import deck as map_deck
from explorer.maps import shapes as map_shapes
from explorer.maps import state as map_state
from explorer.reports import sheet as report
from explorer.reports import xlsx as report_xlsx
from explorer.reports.csv import french_csv
from explorer.sheets import compare
from explorer.sheets import diagnostic as dg
from forecasting import series
from forecasting.errors import ForecastTerritoryError
from forecasting.projection import fit_territory, project

PERIOD = (2021, 2025)
MIN_SCHOOLS = 5
MIN_USERS = 11


@pytest.fixture(scope="module", autouse=True)
def deployment_secrecy():
    """The thresholds of a deployment with secrecy on, for every test and fixture of the module."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(secrecy_setting.ENV_MIN_SCHOOLS, str(MIN_SCHOOLS))
        patch.setenv(secrecy_setting.ENV_MIN_USERS, str(MIN_USERS))
        assert secrecy_setting.setting() == secrecy_setting.Secrecy(MIN_SCHOOLS, MIN_USERS)
        yield


SECRET = "secret statistique"
LARGE_COMMUNE = "35238"  # Rennes


def shows_number(value: object) -> bool:
    """Whether a cell shows a figure: a finite number, or a text with a digit in it."""
    if value is None or isinstance(value, bool):
        return False
    if isinstance(value, str):
        return any(ch.isdigit() for ch in value)
    if isinstance(value, (int, float, np.number)):
        return not pd.isna(value)
    return False  # pd.NA, NaT


def uses_measured_schools(indicator: Indicator) -> bool:
    """Usage and resource indicators rest on the measured schools (coverage on all schools)."""
    return indicator.family in ("usage", "resource") and indicator.id != "coverage_share"


# --- The small territories, in SQL ---------------------------------------------------------


def small_communes(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Communes with 1 to 4 schools in table ``school``: code → number of schools."""
    rows = con.execute(
        f"""
        select commune_code, count(*) from school where commune_code is not null
        group by 1 having count(*) between 1 and {MIN_SCHOOLS - 1} order by 1
        """
    ).fetchall()
    return dict(rows)


def few_schools(con: duckdb.DuckDBPyConnection, first: int, last: int, measured: bool) -> set[str]:
    """Communes with 1 to 4 (measured) schools among the school years starting in first..last."""
    rows = con.execute(
        f"""
        select s.commune_code
        from school as s join school_year as y using (uai)
        where y.rentree_year between $first and $last {"and y.measured" if measured else ""}
        group by 1 having count(distinct s.uai) between 1 and {MIN_SCHOOLS - 1}
        """,
        {"first": first, "last": last},
    ).fetchall()
    return {code for (code,) in rows}


def few_users(con: duckdb.DuckDBPyConnection, first: int, last: int, profile: str | None) -> set[str]:
    """Communes whose ENT users (school user-weeks, one profile or all) number 1 to 10."""
    rows = con.execute(
        f"""
        select s.commune_code
        from usage_school_year as u join school as s using (uai)
        where cast(substr(u.school_year, 1, 4) as integer) between $first and $last
            and ($profile is null or u.profile = $profile)
        group by 1 having sum(u.school_user_weeks) < {MIN_USERS}
        """,
        {"first": first, "last": last, "profile": profile},
    ).fetchall()
    return {code for (code,) in rows}


def few_resource_users(con: duckdb.DuckDBPyConnection, first: int, last: int, resource: str | None) -> set[str]:
    """Communes whose digital-resource users (user-weeks, one family or all) number below 11."""
    rows = con.execute(
        f"""
        select s.commune_code
        from resource_school_year as r join school as s using (uai)
        where cast(substr(r.school_year, 1, 4) as integer) between $first and $last
            and ($resource is null or r.resource = $resource)
        group by 1 having sum(r.user_weeks) < {MIN_USERS}
        """,
        {"first": first, "last": last, "resource": resource},
    ).fetchall()
    return {code for (code,) in rows}


@dataclass
class Secrecy:
    """The communes that must show no figure, per indicator, for one span of years."""

    small: set[str]  # 1 to 4 schools (table school, or school years of the span)
    thin: set[str]  # 1 to 4 measured schools in the span
    users: dict[str | None, set[str]]  # fewer than 11 ENT users, per profile (None: all)
    resource_users: dict[str | None, set[str]]  # fewer than 11 resource users, per family

    def secret(self, indicator: Indicator) -> set[str]:
        if not uses_measured_schools(indicator):
            return self.small
        out = self.small | self.thin
        if indicator.family == "usage":
            out = out | self.users[indicator.profile]
        else:
            out = out | self.resource_users[indicator.resource]
        return out


def secrecy_of(con: duckdb.DuckDBPyConnection, first: int, last: int) -> Secrecy:
    profiles = {i.profile for i in INDICATORS.values() if i.family == "usage"}
    resources = {i.resource for i in INDICATORS.values() if i.family == "resource"}
    return Secrecy(
        small=set(small_communes(con)) | few_schools(con, first, last, measured=False),
        thin=few_schools(con, first, last, measured=True),
        users={p: few_users(con, first, last, p) for p in profiles},
        resource_users={r: few_resource_users(con, first, last, r) for r in resources},
    )


@pytest.fixture(scope="module")
def secrecy(rennes) -> Secrecy:
    found = secrecy_of(rennes, *PERIOD)
    assert len(found.small) >= 100  # the demo académie has hundreds of villages with one school
    assert found.thin - found.small  # communes of 5+ schools with fewer than 5 measured: scanned too
    assert LARGE_COMMUNE not in found.small | found.thin
    return found


@pytest.fixture(scope="module")
def chosen(rennes) -> list[str]:
    """Three small communes (the first by code with 1, 2 and 4 schools) and the first commune
    of 5+ schools with fewer than 5 measured schools over the period."""
    schools = small_communes(rennes)
    picked = [min(c for c, n in schools.items() if n == size) for size in (1, 2, 4)]
    thin = sorted(few_schools(rennes, *PERIOD, measured=True) - set(schools))
    return [*picked, thin[0]]


# --- Carte ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def carte_35(rennes):
    """What the Carte page draws for the communes of département 35: territories, shapes."""
    territories = territory_index(rennes)
    state = map_state.MapState(niveau="commune", territoire=("departement", "35"), periode=PERIOD)
    drawn = map_state.inside(territories, state)
    shapes = map_shapes.load_shapes(rennes, "commune", drawn["code"].tolist(), overview=False)
    regions = shapes["code"].map(drawn.set_index("code")["region_code"])
    geometry, bounds = map_shapes.prepare(shapes, regions, insets=False)
    return drawn, geometry, bounds


@pytest.mark.parametrize("indicator_id", list(INDICATORS))
def test_carte_tooltips_and_ranking_mask_small_communes(rennes, secrecy, carte_35, indicator_id):
    drawn, geometry, bounds = carte_35
    indicator = INDICATORS[indicator_id]
    secret = secrecy.secret(indicator) & set(drawn["code"])
    assert secret  # département 35 has small communes
    values = indicator_table(rennes, "commune", indicator_id, PERIOD)
    result = map_deck.assemble(drawn, values, geometry, bounds, indicator)
    # What the browser receives: the territory layer of the deck's JSON.
    spec = json.loads(result.deck.to_json())
    rows = next(layer for layer in spec["layers"] if layer["id"] == map_deck.TERRITORY_LAYER)["data"]
    leaks = sorted({row["c"] for row in rows if row["c"] in secret and shows_number(row["v"])})
    assert not leaks, f"{indicator_id}: tooltip figures for {leaks[:5]}"
    assert {row["v"] for row in rows if row["c"] in secrecy.small} <= {SECRET, map_deck.MISSING_TEXT}
    shown = {row["c"] for row in rows if row["c"] not in secret and shows_number(row["v"])}
    assert shown, f"{indicator_id}: no commune of 35 shows a value"
    # The ranked table under the map: no value and no rank for a small commune.
    table = result.table.set_index("code")
    small_rows = table.loc[sorted(secret & set(table.index))]
    assert small_rows["value"].isna().all(), indicator_id
    assert small_rows["rang"].isna().all(), indicator_id
    assert table.loc[sorted(shown), "value"].notna().all()


# --- Diagnostic exports ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def sheets(rennes, chosen) -> dict[str, dg.Diagnostic]:
    return {code: dg.diagnose(rennes, "commune", code, PERIOD) for code in chosen}


def read_csv_text(content: bytes) -> pd.DataFrame:
    """A French CSV export as the text of its cells (nothing parsed, empty cells as '')."""
    return pd.read_csv(io.BytesIO(content), sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_diagnostic_csv_masks_small_communes(sheets, secrecy, chosen):
    for code in chosen:
        diag = sheets[code]
        frame = read_csv_text(report.to_csv(diag)).set_index("Identifiant")
        own = diag.references[0].label
        parent = next(r.label for r in diag.references if r.role == "parent" and r.level == "departement")
        assert set(frame.index) == set(INDICATORS)
        for indicator_id, row in frame.iterrows():
            if code not in secrecy.secret(INDICATORS[indicator_id]):
                continue
            for column in (own, report.GAP_PEERS, report.GAP_COUNTRY, "Lecture"):
                assert not shows_number(row[column]), (code, indicator_id, column, row[column])
            assert row[own] in (SECRET, ""), (code, indicator_id)
        # not vacuous: the département column of the same file holds figures
        assert shows_number(frame.at["invest_per_pupil", parent])
    # the commune of 5+ schools shows its investment, masks its usage
    thin = read_csv_text(report.to_csv(sheets[chosen[3]])).set_index("Identifiant")
    own = sheets[chosen[3]].references[0].label
    assert shows_number(thin.at["invest_per_pupil", own])
    assert thin.at["ent_visits_per_pupil_week", own] == SECRET


def xlsx_fiche(content: bytes, own: str) -> tuple[list[dict[str, object]], object]:
    """Rows of the « Fiche » sheet as dicts (header → value), and the workbook."""
    wb = load_workbook(io.BytesIO(content))
    ws = wb["Fiche"]
    header_row = next(r for r in range(1, 30) if ws.cell(row=r, column=1).value == "Rubrique")
    headers = [c.value for c in ws[header_row]]
    assert own in headers
    cells = ws.iter_rows(min_row=header_row + 1, values_only=True)
    rows = [dict(zip(headers, values, strict=True)) for values in cells]
    return rows, wb


def test_diagnostic_xlsx_masks_small_communes(sheets, secrecy, chosen):
    for code in chosen:
        diag = sheets[code]
        own = diag.references[0].label
        parent = next(r.label for r in diag.references if r.role == "parent" and r.level == "departement")
        rows, wb = xlsx_fiche(report.to_xlsx(diag), own)
        assert {row["Identifiant"] for row in rows} == set(INDICATORS)
        for row in rows:
            if code not in secrecy.secret(INDICATORS[row["Identifiant"]]):
                continue
            for column in (own, report.GAP_PEERS, report.GAP_COUNTRY, "Lecture"):
                assert not shows_number(row[column]), (code, row["Identifiant"], column, row[column])
        assert shows_number(next(r[parent] for r in rows if r["Identifiant"] == "invest_per_pupil"))
        if code not in secrecy.small:
            assert shows_number(next(r[own] for r in rows if r["Identifiant"] == "invest_per_pupil"))
            continue
        # The summary paragraph states no figure of a small commune.
        assert not shows_number(wb["Fiche"]["A3"].value), wb["Fiche"]["A3"].value
        # « Séries »: investment per pupil per year, then the measured schools per school year.
        series_ws = wb["Séries"]
        cells = list(series_ws.iter_rows(values_only=True))
        split = next(i for i, r in enumerate(cells) if r[0] == "Année scolaire")
        assert split > 1  # some budget years
        for r in cells[1:split]:
            assert not any(shows_number(v) for v in r[1:]), (code, r)
        for r in cells[split + 1 :]:
            assert r[2] == SECRET and r[3] == SECRET, (code, r)


# --- Comparer ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def comparison(rennes) -> pd.DataFrame:
    codes = [c for (c,) in rennes.execute("select code from territory where level = 'commune' order by 1").fetchall()]
    return compare.comparison_table(rennes, "commune", codes, PERIOD)


def compare_secret(secrecy: Secrecy, column: str) -> set[str]:
    if column == "invest_per_inhabitant":
        return secrecy.small
    return secrecy.secret(INDICATORS[column])


def test_comparer_table_and_exports_mask_small_communes(comparison, secrecy):
    table = comparison.set_index("code")
    for column in compare.COLUMNS:
        secret = sorted(compare_secret(secrecy, column) & set(table.index))
        assert secret
        assert table.loc[secret, column].isna().all(), column
        assert table.loc[secret, f"{column}_rank"].isna().all(), column
        assert table[column].notna().sum() >= 20, column  # not vacuous
    exported = compare.export_frame(comparison, LARGE_COMMUNE)
    csv = read_csv_text(french_csv(exported)).set_index("Code")
    workbook = load_workbook(io.BytesIO(report_xlsx.table_xlsx(exported, "Comparaison", {}, [])))
    xlsx = pd.DataFrame(list(workbook["Comparaison"].iter_rows(min_row=4, values_only=True)), columns=exported.columns)
    xlsx = xlsx.set_index("Code")
    for column in compare.COLUMNS:
        secret = sorted(compare_secret(secrecy, column) & set(csv.index))
        header = f"{compare.column_label(column)} ({compare.column_unit(column)})"
        rank = f"Rang — {compare.column_label(column)}"
        for frame, where in ((csv, "csv"), (xlsx, "xlsx")):
            for col in (header, rank):
                leaks = [c for c in secret if shows_number(frame.at[c, col])]
                assert not leaks, (where, col, leaks[:5])
            assert set(frame.loc[secret, header]) <= {SECRET, "", None}
            assert shows_number(frame.at[LARGE_COMMUNE, header]), (where, column)
    # Pupils of a commune with 1 to 4 schools: a figure of those schools, masked too.
    small = sorted(secrecy.small & set(csv.index))
    assert small and table.loc[small, "pupils"].isna().all()
    for frame, where in ((csv, "csv"), (xlsx, "xlsx")):
        assert set(frame.loc[small, "Élèves"]) == {SECRET}, where
        assert shows_number(frame.at[LARGE_COMMUNE, "Élèves"]), where


@pytest.mark.parametrize("indicator_id", ["invest_per_pupil", "ent_visits_per_pupil_week"])
def test_comparer_yearly_series_mask_small_communes(rennes, chosen, indicator_id):
    codes = [*chosen, LARGE_COMMUNE]
    frame = compare.yearly_series(rennes, "commune", codes, indicator_id)
    small = frame[frame["code"].isin(chosen[:3])]
    assert len(small) >= 3 * 5 and small["value"].isna().all(), small.dropna(subset=["value"]).head()
    large = frame[frame["code"] == LARGE_COMMUNE]
    assert large["value"].notna().sum() >= 3  # not vacuous


# --- Typologie -------------------------------------------------------------------------------


SCHOOL_VARIABLES = [v for v in VARIABLES if v not in ("log_density", "log_population")]


@pytest.mark.parametrize(
    "variables",
    [
        ("invest_per_pupil", "ent_visits_per_pupil_week", "ips", "log_density"),  # the page's default
        ("coverage_share", "ent_visits_per_pupil_week_parent", "usage_growth", "log_population"),
    ],
)
def test_typologie_export_leaves_out_small_communes(rennes, secrecy, variables):
    result = run_typology(rennes, "commune", variables, PERIOD, k=3, n_resamples=2)
    table = export_table(result)
    names = {v: VARIABLES[v].short for v in variables}
    school_columns = [names[v] for v in variables if v in SCHOOL_VARIABLES]
    # Each variable is secret where its own indicator is (a commune of 5+ schools with few measured
    # ones shows its investment, not its usage): rows classed on part of the variables included.
    # usage_growth is a ratio of two years of ENT visits: secret where those visits are.
    indicator_of = {v: INDICATORS[v] if v in INDICATORS else INDICATORS["ent_visits_per_pupil_week"] for v in variables}
    secret_of = {names[v]: secrecy.secret(indicator_of[v]) for v in variables if v in SCHOOL_VARIABLES}
    for column, secret in secret_of.items():
        rows = table[table["code"].isin(secret)]
        assert not rows[column].map(shows_number).any(), (column, rows["code"].head().tolist())
    csv = read_csv_text(french_csv(table)).set_index("code")
    leaks = [
        (c, col) for col, secret in secret_of.items() for c in secret & set(csv.index) if shows_number(csv.at[c, col])
    ]
    assert not leaks, leaks[:5]
    # not vacuous: hundreds of larger communes are classed with their figures
    assert len(table) >= 50
    full = table[table[BASIS_HEADER] == "toutes les variables"]
    assert len(full) >= 50 and full[school_columns].notna().all().all()
    # the class means are means over classes of communes of 5+ schools each
    profiles = profile_table(result)
    assert profiles[list(variables)].notna().all().all()


# --- Investissement → usage -------------------------------------------------------------------


@pytest.mark.parametrize("lag", [0, 3])
def test_spend_use_leaves_out_small_communes(rennes, lag):
    usage_year = 2025
    invest_year = usage_year - lag
    result = spend_use(rennes, "commune", usage_year, lag)
    secret = (
        set(small_communes(rennes))
        | few_schools(rennes, invest_year, invest_year, measured=False)
        | few_schools(rennes, usage_year, usage_year, measured=True)
        | few_schools(rennes, usage_year, usage_year, measured=False)
        | few_users(rennes, usage_year, usage_year, None)
    )
    leaks = sorted(set(result.data["code"]) & secret)
    assert not leaks, leaks[:5]
    assert not set(result.outliers["code"]) & secret
    # not vacuous: the scatter has points with figures
    assert len(result.data) >= 6
    assert result.data[["invest_per_pupil", "ent_visits_per_pupil_week"]].notna().all().all()


# --- Prospective ---------------------------------------------------------------------------------


def test_prospective_refuses_small_communes(rennes, chosen):
    for code in chosen[:3]:
        with pytest.raises(ForecastTerritoryError, match=SECRET):
            fit_territory(rennes, "commune", code)
    # The batch checks every commune on the same weekly series: all the small ones are refused.
    weeks = series.weekly_series(rennes, "commune")
    by_code = dict(tuple(weeks.groupby("code", sort=False)))
    small = small_communes(rennes)
    refused = 0
    for code in small:
        own = by_code.get(code, weeks.iloc[0:0])
        measured = int(own["measured_schools"].iloc[-1]) if len(own) else 0
        with pytest.raises(ForecastTerritoryError, match=SECRET if measured else "aucun établissement mesuré"):
            series.check_enough_schools(own, code)
        refused += 1
    assert refused == len(small)
    # not vacuous: a large commune passes the check and its projection shows figures
    series.check_enough_schools(by_code[LARGE_COMMUNE], LARGE_COMMUNE)
    projection = project(fit_territory(rennes, "commune", LARGE_COMMUNE))
    assert projection.forecast["yhat"].notna().sum() >= 52
