"""National orders of magnitude the demo is calibrated on (public facts, see DOMAIN.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

SCHOOLS = {"ecole": 48_000, "college": 7_000, "lycee": 4_200}
PUPILS = {"ecole": 6_400_000, "college": 3_400_000, "lycee": 2_200_000}
PRIVATE_SHARE = {"ecole": 0.13, "college": 0.25, "lycee": 0.35}

INVESTMENT_YEARS = tuple(range(2017, 2027))
SCHOOL_YEARS = tuple(f"{y}-{y + 1}" for y in range(2019, 2026))
FIRST_WEEK = dt.date(2019, 9, 2)
LAST_WEEK = dt.date(2026, 6, 29)

# SNEE "socle numérique dans les écoles élémentaires" (plan de relance, 2021).
SNEE: dict[str, float] = {"subsidy": 103_095_993.73, "spent": 196_533_726.48, "ecoles": 12_670, "communes": 7_810}
# Hybridation des lycées (plan de relance); Normandie and La Réunion are absent from the dataset.
HYBRIDATION: dict[str, Any] = {
    "subsidy": 13_947_510.84,
    "spent": 29_900_499.06,
    "lycees": 1_803,
    "absent_regions": ("28", "04"),
}
# Territoires numériques éducatifs.
TNE_DEPARTEMENTS = ("02", "13", "18", "25", "29", "34", "38", "86", "88", "95", "971", "2A")
TNE_YEARS = (2021, 2022, 2023, 2024)

# Schools measured by the national ENT audience measurement, per school year. The last three
# are the published counts (≈7,060 → 22,104 → 30,026); the earlier ones are our assumption.
MEASURED_SCHOOLS = {
    "2019-2020": 5_200,
    "2020-2021": 5_900,
    "2021-2022": 6_400,
    "2022-2023": 6_800,
    "2023-2024": 7_060,
    "2024-2025": 22_104,
    "2025-2026": 30_026,
}
# ENT visits of school year 2025-26 (≈649.5 M, of which 124.8 M by teachers).
ENT_VISITS_2025_26 = 649_492_449
# GAR accesses in 2024-25.
GAR_ACCESSES_2024_25 = 54_096_270
