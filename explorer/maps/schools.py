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
from explorer.facts.indicators import Indicator, format_value
from explorer.formatting import fr_number
from explorer.vocabulary import KIND_LABELS, SECRET_TEXT

# The two figures every school's tooltip gives, whatever indicator colours the map.
INVEST_INDICATOR = "invest_per_pupil"
USAGE_INDICATOR = "ent_visits_per_pupil_week"
NOT_MEASURED = "non mesuré"


def school_values(con: duckdb.DuckDBPyConnection, indicator: Indicator, period: tuple[int, int]) -> pd.DataFrame:
    """``indicator`` over ``period`` for every school of the warehouse.

    Returns
    -------
    DataFrame ``code`` (UAI), ``value`` (float, NaN when unknown), ``masked`` (bool),
    ``measured_schools`` (0 or 1).
    """
    facts = indicators.school_facts(con, period, indicator)
    # One school is one school: the threshold on the number of schools of a territory does not apply.
    values = indicators.compute(facts, indicator, min_schools=1)
    return values[["code", "value", "masked", "measured_schools"]]


def _text(indicator: Indicator, value: object, masked: bool) -> str:
    return SECRET_TEXT if masked else format_value(indicator, value)


def with_figures(
    schools: pd.DataFrame,
    communes: pd.Series,
    shown: tuple[Indicator, pd.DataFrame],
    invest: pd.DataFrame,
    usage: pd.DataFrame,
    period: tuple[int, int],
) -> pd.DataFrame:
    """The schools of a view with their own value and the French lines of their tooltip.

    Parameters
    ----------
    schools : DataFrame ``uai, name, kind, sector, commune_code, lat, lon, pupils, ips``
        (:func:`explorer.maps.state.schools_inside`).
    communes : commune name (str) indexed by commune code.
    shown : the indicator colouring the map and its :func:`school_values` table.
    invest, usage : :func:`school_values` of :data:`INVEST_INDICATOR` and :data:`USAGE_INDICATOR`.

    Returns
    -------
    ``schools`` plus ``value`` (float), ``masked`` (bool), ``commune`` (str) and the tooltip
    lines ``kind_text``, ``detail_text``, ``invest_text``, ``usage_text`` (str).
    """
    indicator, values = shown
    years = f"{period[0]}-{period[1]}"
    out = schools.merge(values[["code", "value", "masked"]], left_on="uai", right_on="code", how="left")
    out["masked"] = out["masked"].fillna(False).astype(bool)
    out["commune"] = out["commune_code"].map(communes).fillna(out["commune_code"])
    inv = invest.set_index("code")
    use = usage.set_index("code")
    invest_ind = indicators.get_indicator(INVEST_INDICATOR)
    usage_ind = indicators.get_indicator(USAGE_INDICATOR)
    kind_text, detail_text, invest_text, usage_text = [], [], [], []
    for s in out.itertuples(index=False):
        public = s.sector == "public"
        label = KIND_LABELS.get(s.kind, s.kind)
        sector = ("publique" if public else "privée") if s.kind == "ecole" else ("public" if public else "privé")
        kind_text.append(f"{label} {sector} — {s.commune}")
        detail = [f"{fr_number(s.pupils)} élèves" if not pd.isna(s.pupils) else "élèves n.d."]
        detail.append(f"IPS {fr_number(s.ips, 1)}" if not pd.isna(s.ips) else "IPS n.d.")
        if indicator.id not in (INVEST_INDICATOR, USAGE_INDICATOR):
            detail.append(f"{indicator.label} : {_text(indicator, s.value, s.masked)}")
        detail_text.append(" · ".join(detail))
        if s.uai in inv.index:
            row = inv.loc[s.uai]
            invest_text.append(f"Investissement : {_text(invest_ind, row['value'], row['masked'])} ({years})")
        else:
            invest_text.append(f"Investissement : n.d. ({years})")
        if s.uai in use.index and use.at[s.uai, "measured_schools"] > 0:
            row = use.loc[s.uai]
            usage_text.append(f"Usage de l'ENT : {_text(usage_ind, row['value'], row['masked'])} ({years})")
        else:
            usage_text.append(f"Usage de l'ENT : {NOT_MEASURED} ({years})")
    return out.drop(columns=["code"]).assign(
        kind_text=kind_text, detail_text=detail_text, invest_text=invest_text, usage_text=usage_text
    )
