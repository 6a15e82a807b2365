"""Each school's own figures for the Carte: the value that colours its mark and its tooltip lines.

A school is its own territory in ``queries/facts.sql`` (level ``school``, code = UAI), so its
indicators are computed by :func:`explorer.facts.indicators.compute` exactly as a commune's
are. The per-school figures the ministry publishes (annuaire, effectifs, IPS, ENT audience
per UAI) and public accounts are public at every level (``DOMAIN.md``): no school threshold
applies to one school.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from explorer.facts import indicators
from explorer.facts.indicators import Indicator, value_text
from explorer.formatting import fr_number
from explorer.vocabulary import KIND_LABELS

# The two figures every school's tooltip gives, whatever indicator colours the map.
INVEST_INDICATOR = "invest_per_pupil"
USAGE_INDICATOR = "ent_visits_per_pupil_week"


def school_values(con: duckdb.DuckDBPyConnection, indicator: Indicator, period: tuple[int, int]) -> pd.DataFrame:
    """``indicator`` over ``period`` for every school of the warehouse.

    Returns
    -------
    DataFrame ``code`` (UAI), ``value`` (float, NaN when unknown), ``masked`` (bool),
    ``measured_schools`` (0 or 1), ``fragility`` (its flags, « effectif faible »…).
    """
    facts = indicators.school_facts(con, period, indicator)
    # One school is one school: the threshold on the number of schools of a territory does not apply.
    values = indicators.compute(facts, indicator, min_schools=1)
    return values[["code", "value", "masked", "measured_schools", "fragility"]]


def with_figures(
    schools: pd.DataFrame,
    communes: pd.Series,
    period: tuple[int, int],
    shown: tuple[Indicator, pd.DataFrame] | None = None,
    invest: pd.DataFrame | None = None,
    usage: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The schools of a view with the French lines of their tooltip, and their own figures if given.

    Parameters
    ----------
    schools : DataFrame ``uai, name, kind, sector, commune_code, lat, lon, pupils, ips``
        (:func:`explorer.maps.state.schools_inside`).
    communes : commune name (str) indexed by commune code.
    shown : the indicator colouring the map and its :func:`school_values` table (the
        Établissements level); None when the schools are drawn over their communes' colours.
    invest, usage : :func:`school_values` of :data:`INVEST_INDICATOR` and
        :data:`USAGE_INDICATOR`, given with ``shown``.

    Returns
    -------
    ``schools`` plus ``commune`` (str) and the tooltip lines ``kind_text`` and ``detail_text``;
    with ``shown``, also ``value`` (float), ``masked`` (bool), ``fragility`` (str, its flags),
    ``invest_text`` and ``usage_text`` (str).
    """
    out = schools.copy()
    if shown is not None:
        values = shown[1]
        out = out.merge(values[["code", "value", "masked", "fragility"]], left_on="uai", right_on="code", how="left")
        out = out.drop(columns=["code"])
        out["masked"] = out["masked"].fillna(False).astype(bool)
        out["fragility"] = out["fragility"].fillna("")
    out["commune"] = out["commune_code"].map(communes).fillna(out["commune_code"])
    years = f"{period[0]}-{period[1]}"
    kind_text, detail_text = [], []
    for s in out.itertuples(index=False):
        public = s.sector == "public"
        label = KIND_LABELS.get(s.kind, s.kind)
        sector = ("publique" if public else "privée") if s.kind == "ecole" else ("public" if public else "privé")
        kind_text.append(f"{label} {sector} — {s.commune}")
        # Pupils and IPS of the school's latest year, said as such: the figure colouring the map
        # is over the period (an IPS indicator averages the period's years).
        detail = [f"{fr_number(s.pupils)} élèves" if not pd.isna(s.pupils) else "élèves n.d."]
        detail.append(f"IPS {fr_number(s.ips, 1)}" if not pd.isna(s.ips) else "IPS n.d.")
        text = " · ".join(detail)
        if shown is not None:  # (not over a département's communes: its 2,000 schools' payload)
            text += f" en {s.school_year}" if isinstance(s.school_year, str) else ""
            if shown[0].id not in (INVEST_INDICATOR, USAGE_INDICATOR):
                text += f" — {shown[0].label} ({years}) : {value_text(shown[0], s.value, s.masked, unit=True)}"
        detail_text.append(text)
    out = out.assign(kind_text=kind_text, detail_text=detail_text)
    if invest is not None and usage is not None:
        out["invest_text"] = _lines(out["uai"], invest, INVEST_INDICATOR, "Investissement", period)
        out["usage_text"] = _lines(out["uai"], usage, USAGE_INDICATOR, "Usage de l'ENT", period)
    return out


def _lines(uais: pd.Series, values: pd.DataFrame, indicator_id: str, label: str, period: tuple[int, int]) -> list[str]:
    """« Investissement : 63 € par élève et par an (2021-2025) » for each school of ``uais``."""
    indicator = indicators.get_indicator(indicator_id)
    table = values.set_index("code")
    years = f"{period[0]}-{period[1]}"
    lines = []
    for uai in uais:
        # a school without a row, or without a measured week, has no value: « n.d. » / « non mesuré »
        value = table.at[uai, "value"] if uai in table.index else None
        masked = bool(table.at[uai, "masked"]) if uai in table.index else False
        flag = table.at[uai, "fragility"] if uai in table.index else ""
        fragile = f", {flag}" if flag else ""  # the flag on the figure, as in a territory's tooltip
        lines.append(f"{label} : {value_text(indicator, value, masked, unit=True)} ({years}{fragile})")
    return lines
