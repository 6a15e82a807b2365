"""A typology of the territories of one level, ready to show or export: features → classes → labels.

The page, the CLI and the benchmark call :func:`run_typology`; the tables here are what they
show and write. Every territory's and every school's variables are public and written out; only a
deployment with secrecy on (:mod:`explorer.facts.secrecy`) keeps a school's variables to itself
and writes its class and the class means.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd

from explorer.analysis.features import (
    DEFAULT_VARIABLES,
    LEVEL_LABELS,
    VARIABLES,
    FeatureError,
    FeatureSet,
    load_features,
)
from explorer.analysis.typology import Typology
from explorer.analysis.typology_labels import class_labels
from explorer.facts import secrecy
from explorer.facts.indicators import DEFAULT_PERIOD
from explorer.formatting import fr_number
from explorer.reports.csv import EXTRA_DECIMALS

OVERALL = "Ensemble"


@dataclass(frozen=True)
class TypologyReport:
    """Features, fitted model and class labels of one typology."""

    features: FeatureSet
    model: Typology
    labels: dict[int, str]

    @property
    def level(self) -> str:
        return self.features.level

    @property
    def variables(self) -> list[str]:
        return list(self.features.variables)

    @property
    def k(self) -> int:
        return self.model.n_clusters_


def fit_features(
    features: FeatureSet,
    method: str = "kmeans",
    k: int | None = None,
    random_state: int = 0,
    n_resamples: int = 10,
) -> TypologyReport:
    """Fit a :class:`Typology` on complete rows of ``features`` and label its classes."""
    n = len(features.data)
    if n < 3:
        counts = features.exclusion_counts()
        detail = ", ".join(f"{reason} : {count}" for reason, count in counts.items() if count)
        raise FeatureError(
            f"Seulement {n} territoire(s) du niveau « {LEVEL_LABELS[features.level]} » ont toutes les variables"
            f" ({detail}) : choisissez moins de variables, un niveau plus large ou une autre période."
        )
    model = Typology(method=method, k=k, random_state=random_state, n_resamples=n_resamples)
    model.fit(features.data[list(features.variables)])
    return TypologyReport(features, model, class_labels(model.z_profiles_, features.level))


def run_typology(
    con: duckdb.DuckDBPyConnection,
    level: str,
    variables: Sequence[str] = DEFAULT_VARIABLES,
    period: tuple[int, int] = DEFAULT_PERIOD,
    method: str = "kmeans",
    k: int | None = None,
    random_state: int = 0,
    n_resamples: int = 10,
) -> TypologyReport:
    """:func:`explorer.analysis.features.load_features` then :func:`fit_features`."""
    return fit_features(load_features(con, level, variables, period), method, k, random_state, n_resamples)


BASIS_FULL = "toutes les variables"


def class_table(report: TypologyReport) -> pd.DataFrame:
    """Class of each territory: ``code, name, cluster`` (1..k), ``label``, ``basis``, then the variables.

    Territories with every variable come first, in the fitted order; those lacking some
    (usage not measured…) follow, classed on the variables they have
    (:meth:`explorer.analysis.typology.Typology.predict_partial`), ``basis`` naming what was
    missing. At school level under a deployment's secrecy the variables are left out.
    """
    data = report.features.data
    cluster = report.model.labels_ + 1
    out = pd.DataFrame(
        {
            "code": data["code"],
            "name": data["name"],
            "cluster": cluster,
            "label": [report.labels[c - 1] for c in cluster],
            "basis": BASIS_FULL,
        }
    )
    with_values = report.level != "school" or not secrecy.setting().on
    if with_values:
        out = pd.concat([out, data[report.variables]], axis=1)
    partial = report.features.partial
    if len(partial):
        assigned = report.model.predict_partial(partial[report.variables]) + 1
        extra = pd.DataFrame(
            {
                "code": partial["code"],
                "name": partial["name"],
                "cluster": assigned,
                "label": [report.labels[c - 1] for c in assigned],
                "basis": "variables disponibles (manque : " + partial["missing"] + ")",
            }
        )
        if with_values:
            extra = pd.concat([extra, partial[report.variables]], axis=1)
        out = pd.concat([out, extra], ignore_index=True)
    return out


def stability_sentence(stability: float, runs: int) -> str:
    """The bootstrap stability in plain French: what it measures and how to read it."""
    if stability != stability:  # NaN: too few territories to resample
        return "Stabilité non mesurée : trop peu de territoires pour refaire la typologie sur des tirages."
    verdict = (
        "des classes solides"
        if stability >= 0.8
        else "des classes à lire avec prudence"
        if stability >= 0.5
        else "des classes fragiles : les frontières entre classes changent d'un tirage à l'autre"
    )
    return (
        f"Stabilité {fr_number(stability, 2)} : on a refait la typologie {runs} fois, chaque fois sur un "
        "tirage au hasard des territoires, et comparé les classes obtenues à celles-ci (indice de Rand ajusté : "
        f"1 = exactement les mêmes classes, 0 = pas plus de ressemblance que le hasard). Ici, {verdict}."
    )


def profile_table(report: TypologyReport) -> pd.DataFrame:
    """Mean of each variable per class and over all analysed territories (row ``Ensemble``).

    Returns
    -------
    DataFrame indexed by ``class`` (1..k then ``Ensemble``): ``label, size``, then the variables.
    At school level under a deployment's secrecy, the means of a class of too few schools are NaN.
    """
    model = report.model
    rows = model.profiles_.copy()
    rows.index = [int(c) + 1 for c in rows.index]
    rows.insert(0, "label", [report.labels[c - 1] for c in rows.index])
    overall = pd.DataFrame(
        [{"label": "tous les territoires analysés", "size": len(model.labels_), **model.overall_.to_dict()}],
        index=[OVERALL],
    )
    table = pd.concat([rows, overall])
    table.index.name = "class"
    rule = secrecy.setting()
    if report.level == "school" and rule.on:
        # under a deployment's secrecy, a class mean of too few schools is nearly one school's figure
        small = table["size"] < rule.min_schools
        table.loc[small, report.variables] = float("nan")
    return table


def profile_display(report: TypologyReport) -> pd.DataFrame:
    """:func:`profile_table` for the screen: French headers, French-formatted values."""
    table = profile_table(report)
    out = pd.DataFrame(
        {
            "Classe": [str(c) for c in table.index],
            "Libellé": table["label"].to_numpy(),
            "Territoires": [fr_number(v) for v in table["size"]],
        }
    )
    for v in report.variables:
        variable = VARIABLES[v]
        out[variable.short] = [variable.display(x) for x in table[v]]
    return out


BASIS_HEADER = "base de classement"


def export_table(report: TypologyReport) -> pd.DataFrame:
    """:func:`class_table` with French headers (variables: short label with unit), for the download.

    A variable shown as a percentage (coverage share, usage growth: fractions in
    :func:`class_table`) is written ×100 under its « (%) » header; values keep one decimal more
    than the screen (:data:`explorer.reports.csv.EXTRA_DECIMALS`).
    """
    table = class_table(report)
    for v in report.variables:
        if v in table.columns:
            variable = VARIABLES[v]
            scale = 100 if variable.percent else 1
            decimals = (1 if variable.percent else variable.decimals) + EXTRA_DECIMALS
            table[v] = (table[v].astype(float) * scale).round(decimals)
    names = {"code": "code", "name": "nom", "cluster": "classe", "label": "libellé", "basis": BASIS_HEADER}
    names |= {v: VARIABLES[v].short for v in report.variables}
    return table.rename(columns=names)
