"""Per-territory slopes on residuals (the EPCI and commune levels) with schools measured a single
year: the national demo has 7 922 such rows, and the commune level crashed on them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from explorer.analysis.effects import investment as inv


def panel(seed: int = 3) -> pd.DataFrame:
    """40 schools in 4 territories over 5 school years, slope 0.3 + 0.1 × territory, and 6
    more schools measured one year only (singletons of the school effect)."""
    rng = np.random.default_rng(seed)
    rows = []
    for school in range(40):
        territory = f"T{school % 4}"
        level = rng.normal()
        for year in range(2021, 2026):
            dose = rng.normal() + 0.2 * (year - 2021)
            slope = 0.3 + 0.1 * (school % 4)
            rows.append(
                (
                    territory,
                    f"S{school:02d}",
                    "ecole",
                    str(year),
                    "A1",
                    level + slope * dose + rng.normal(0, 0.05),
                    dose,
                )
            )
    for school in range(6):
        rows.append((f"T{school % 4}", f"U{school}", "ecole", "2023", "A1", rng.normal(5, 3), rng.normal(0, 3)))
    return pd.DataFrame(
        rows, columns=["territory", "uai", "kind", "school_year", "academie_code", "log_use", inv.REGRESSOR]
    )


def test_schools_measured_one_year_add_nothing_and_break_nothing():
    data = panel()
    with_singletons = inv._residual_slopes(data).set_index("code")
    without = inv._residual_slopes(data[~data["uai"].str.startswith("U")].reset_index(drop=True)).set_index("code")
    assert list(with_singletons.index) == ["T0", "T1", "T2", "T3"]
    np.testing.assert_allclose(
        with_singletons["coef"], without["coef"], rtol=1e-6
    )  # pyfixest demeans iteratively (tolerance 1e-8)
    np.testing.assert_allclose(
        with_singletons["se"], without["se"], rtol=1e-6
    )  # pyfixest demeans iteratively (tolerance 1e-8)
    # the slopes the panel was drawn with, 0.3 to 0.6, within a few standard errors
    np.testing.assert_allclose(with_singletons["coef"], [0.3, 0.4, 0.5, 0.6], atol=0.05)
