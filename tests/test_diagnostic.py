"""Diagnostic: figures checked against hand-written SQL sums on the Rennes warehouse, the
breakdown shortcut against territory_facts, words and warnings."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from explorer.facts.indicators import INDICATORS, compute, get_indicator, territory_facts
from explorer.formatting import NBSP, NNBSP
from explorer.sheets import diagnostic as dg

PERIOD = (2021, 2025)


@pytest.fixture(scope="module")
def finistere(rennes) -> dg.Diagnostic:
    return dg.diagnose(rennes, "departement", "29", PERIOD)


def _invest_per_pupil(con, codes: list[str]) -> float:
    """Σ euros of 2021–2025 ÷ Σ pupils of the school years 2021-22 … 2025-26, schools of ``codes``."""
    (euros,) = con.execute(
        "select sum(i.amount_eur) from investment_school i join school s using (uai) "
        "where s.departement_code in (select unnest(?)) and i.year between 2021 and 2025",
        [codes],
    ).fetchone()
    (pupils,) = con.execute(
        "select sum(y.pupils) from school_year y join school s using (uai) "
        "where s.departement_code in (select unnest(?)) and y.rentree_year between 2021 and 2025",
        [codes],
    ).fetchone()
    return euros / pupils


def test_breakdown_facts_equal_territory_facts_for_every_indicator(rennes):
    for level in ("departement", "epci"):
        facts = dg.LevelFacts(rennes, level, PERIOD)
        for indicator in INDICATORS.values():
            expected = compute(territory_facts(rennes, level, PERIOD, indicator), indicator)
            got = facts.values(indicator)
            pd.testing.assert_frame_equal(got, expected, check_dtype=False, obj=f"{level} {indicator.id}")


def test_a_sheet_after_others_reads_the_same_figures(rennes, finistere, one_school_commune):
    # The app keeps each level's facts from one sheet to the next: the figures must not depend
    # on which sheets came before (a school, a commune and a département share the region level).
    (uai,) = rennes.execute("select min(uai) from school where departement_code = '29'").fetchone()
    shared = dg.facts_memo(rennes, PERIOD)
    sheets = [(dg.SCHOOL, uai), ("commune", one_school_commune), ("departement", "29"), ("commune", "35238")]
    for level, code in sheets:
        after = dg.diagnose(rennes, level, code, PERIOD, facts_of=shared)
        alone = finistere if (level, code) == ("departement", "29") else dg.diagnose(rennes, level, code, PERIOD)
        pd.testing.assert_frame_equal(after.figures, alone.figures, obj=f"{level} {code}")
        assert after.figures["value"].notna().sum() > 40  # figures, not an empty table


def test_values_against_hand_written_sums(rennes, finistere):
    assert finistere.value("invest_per_pupil")["value"] == pytest.approx(_invest_per_pupil(rennes, ["29"]))
    # The peers (22 and 56: same strate 500 000–1 000 000) pooled: sums of both, then the ratio.
    assert finistere.peers.codes == ("56", "22")  # nearest first on population, density and IPS
    pooled = _invest_per_pupil(rennes, ["22", "56"])
    assert finistere.value("invest_per_pupil", "pairs")["value"] == pytest.approx(pooled)
    country = _invest_per_pupil(rennes, ["22", "29", "35", "56"])
    assert finistere.value("invest_per_pupil", "france")["value"] == pytest.approx(country)
    # The académie of Rennes is the whole warehouse here.
    assert finistere.value("invest_per_pupil", "parent")["value"] == pytest.approx(country)
    (visits, pupil_weeks) = rennes.execute(
        "select sum(u.visits), (select sum(y.pupils * y.school_weeks) from school_year y join school s using (uai) "
        " where s.departement_code = '29' and y.measured and y.rentree_year between 2021 and 2025) "
        "from usage_school_year u join school s using (uai) "
        "where s.departement_code = '29' and u.school_year between '2021-2022' and '2025-2026'"
    ).fetchone()
    assert finistere.value("ent_visits_per_pupil_week")["value"] == pytest.approx(visits / pupil_weeks)


def test_gaps_and_reading_are_hand_checkable():
    invest = get_indicator("invest_per_pupil")
    assert dg.difference(invest, 123.0, 100.0) == (pytest.approx(0.23), "%")
    assert dg.reading(invest, 123.0, False, 100.0, "ses pairs") == (
        f"23{NNBSP}% de plus que ses pairs (123{NBSP}€ contre 100{NBSP}€ par élève et par an)"
    )
    share = get_indicator("coverage_share")
    assert dg.difference(share, 0.40, 0.52) == (pytest.approx(-12.0), "points")
    assert dg.reading(share, 0.40, False, 0.52, "la France entière").startswith("12,0 points de moins que la France")
    assert dg.reading(invest, 101.0, False, 100.0, "ses pairs").startswith("au même niveau que ses pairs")
    assert dg.reading(invest, np.nan, True, 100.0, "ses pairs") == "secret statistique : pas de comparaison possible"
    assert dg.difference_text(0.234, "%") == f"+23{NNBSP}%"
    assert dg.difference_text(-4.2, "points") == "−4,2 points"


def test_figure_table_and_summary_read_the_same_numbers(finistere):
    table = dg.figure_table(finistere).set_index("indicator")
    own, peers = "Finistère", "Pairs (2 départements)"
    assert [r.label for r in finistere.references] == [
        own,
        "Académie de Rennes (académie)",
        "Bretagne (région)",
        "Ensemble de l'entrepôt",
        peers,
    ]
    gap = table.at["invest_per_pupil", own] / table.at["invest_per_pupil", peers] - 1
    assert table.at["invest_per_pupil", "gap_peers"] == pytest.approx(gap)
    assert np.isnan(table.at["pupils", "gap_peers"])  # a total is never compared
    text = dg.summary(finistere)
    word = "supérieur" if gap > 0 else "inférieur"
    assert f"l'investissement numérique par élève et par an (tous financeurs, 2021-2025) est {word} de " in text
    assert f"{round(abs(gap) * 100)}{NNBSP}% à celui de ses pairs" in text
    assert "ne disent pas que l'investissement explique l'usage" in text
    for causal in ("grâce", "à cause", "entraîne", "provoque"):
        assert causal not in text


def test_warnings_simulated_scope_and_coverage_break(finistere, rennes):
    text = " ".join(finistere.warnings)
    assert "Données simulées" in text
    assert "Périmètre de l'entrepôt : Académie de Rennes (14)" in text
    cov = finistere.coverage_years.set_index("school_year")
    before = cov.at["2023-2024", "measured_schools"] / cov.at["2023-2024", "schools"]
    after = cov.at["2024-2025", "measured_schools"] / cov.at["2024-2025", "schools"]
    assert after - before >= 0.10
    assert f"en 2023-2024 à {round(after * 100)}{NNBSP}% en 2024-2025" in text
    toy = pd.DataFrame({"school_year": ["a", "b", "c"], "schools": [10, 10, 10], "measured_schools": [2, 3, 9]})
    assert dg.coverage_breaks(toy) == [("b", "c", 0.3, 0.9)]


def test_small_commune_shows_its_figures_and_series(rennes, one_school_commune):
    code = one_school_commune
    diag = dg.diagnose(rennes, "commune", code, PERIOD)
    own = diag.figures[diag.figures["role"] == "territoire"].set_index("indicator")
    assert not own["masked"].any()
    (pupils,) = rennes.execute(
        "select sum(y.pupils) from school_year as y join school as s using (uai) "
        "where s.commune_code = ? and y.rentree_year = 2025",
        [code],
    ).fetchone()
    assert own.at["pupils", "value"] == pupils > 0
    assert own.at["invest_per_pupil", "value"] > 0 and own.at["ips", "value"] > 0
    assert not any(w.startswith("Secret statistique") for w in diag.warnings)
    by_year = dg.investment_by_year(diag)
    assert by_year["per_pupil"].notna().all() and by_year["per_pupil"].sum() > 0


def test_small_commune_is_masked_everywhere_under_a_deployments_secrecy(rennes, one_school_commune, secrecy_on):
    code = one_school_commune
    diag = dg.diagnose(rennes, "commune", code, PERIOD)
    own = diag.figures[diag.figures["role"] == "territoire"]
    assert own["masked"].all() and own["value"].isna().all()
    assert any(w.startswith("Secret statistique : 31 valeur(s) masquée(s)") for w in diag.warnings)
    assert not any("Rupture de couverture" in w for w in diag.warnings)  # would reveal one school
    assert dg.investment_by_year(diag)["per_pupil"].isna().all()
    assert dg.weekly_usage(diag)["per_pupil"].isna().all()


def test_weekly_series_per_pupil_by_hand(finistere):
    weekly = dg.weekly_usage(finistere)
    raw = finistere.usage_weeks
    row = raw[(raw["profile"] == "eleve") & (raw["schools"] >= 5)].iloc[40]
    got = weekly[(weekly["profile"] == "eleve") & (weekly["week_start"] == pd.Timestamp(row["week_start"]))]
    assert got["per_pupil"].iloc[0] == pytest.approx(row["visits"] / row["measured_pupils"])
    assert weekly["holiday_week"].any() and not weekly["holiday_week"].all()
    by_year = dg.investment_by_year(finistere, "category")
    year = by_year[by_year["year"] == 2023]
    assert len(year) == 6
    total = finistere.investment_years.query("year == 2023")
    assert year["invest_eur"].sum() == pytest.approx(total["invest_eur"].sum())
    assert year["per_pupil"].sum() == pytest.approx(total["invest_eur"].sum() / total["pupils"].iloc[0])


def test_same_level_follows_the_reading_thresholds():
    invest, ips = get_indicator("invest_per_pupil"), get_indicator("ips")
    assert dg.same_level(invest, 0.019) and not dg.same_level(invest, 0.021)  # relative: under 2 %
    assert dg.same_level(ips, -0.4) and not dg.same_level(ips, 0.6)  # IPS: under half a point
    assert not dg.same_level(invest, np.nan)
    assert dg.reading(invest, 101.0, False, 100.0, "ses pairs").startswith("au même niveau")
