"""Investment → use: least squares checked by hand, outliers and their wording, the warehouse."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from explorer.analysis.spend_use import (
    ABOVE_EXPECTED,
    BELOW_EXPECTED,
    HIGH_SPEND_LOW_USE,
    LOW_SPEND_HIGH_USE,
    SpendUse,
    SpendUseError,
    adjusted_usage,
    analyse,
    lag_table,
    line_band,
    ols,
    outlier_wording,
    spend_use,
)
from explorer.facts.indicators import indicator_table


def test_ols_on_five_points_by_hand():
    # x̄ = 3, ȳ = 4, Sxx = 10, Sxy = 6 → b = 0.6, a = 2.2; residuals −0.8, 0.6, 1, −0.6, −0.2
    X = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0, 5.0]})
    y = pd.Series([2.0, 4.0, 5.0, 4.0, 5.0])
    fit = ols(X, y)
    assert fit.coef == pytest.approx([2.2, 0.6])
    assert fit.sigma == pytest.approx(np.sqrt(0.8))  # RSS 2.4 / (5 − 2)
    assert fit.se == pytest.approx([np.sqrt(0.8 * 1.1), np.sqrt(0.08)])  # σ²(1/n + x̄²/Sxx), σ²/Sxx
    assert fit.r2 == pytest.approx(0.6)  # 1 − 2.4 / 6
    table = fit.table().set_index("term")
    t975 = 3.182446305284263  # Student t, 3 degrees of freedom
    assert table.loc["x", "low"] == pytest.approx(0.6 - t975 * np.sqrt(0.08))
    # band at x̄: fitted 4, standard error σ/√n = 0.4
    band = fit.band(pd.DataFrame({"x": [3.0]}))
    assert band.loc[0, "fit"] == pytest.approx(4.0)
    assert band.loc[0, "high"] - band.loc[0, "fit"] == pytest.approx(t975 * 0.4)


def test_ols_needs_more_rows_than_coefficients():
    with pytest.raises(SpendUseError, match="2 territoires pour 2 coefficients"):
        ols(pd.DataFrame({"x": [1.0, 2.0]}), pd.Series([1.0, 2.0]))


def test_outlier_wording():
    assert outlier_wording(-2.5, 1.0) == HIGH_SPEND_LOW_USE == "fort investissement, faible usage"
    assert outlier_wording(-2.5, -1.0) == BELOW_EXPECTED
    assert outlier_wording(2.5, -1.0) == LOW_SPEND_HIGH_USE
    assert outlier_wording(2.5, 1.0) == ABOVE_EXPECTED == "usage supérieur à ce que l'investissement laisse attendre"


def toy_territories() -> pd.DataFrame:
    """20 territories on the plane usage = 1 + 0.02 invest + 0.01 (ips − 100) + 0.1 density
    (± 0.05 alternately), then T01 spends most and uses 2 visits less, T02 spends least and
    uses 2 visits more."""
    n = 20
    invest = np.linspace(20, 115, n)
    ips = 100 + 10 * np.sin(np.arange(n))
    density = 1 + 2 * np.cos(np.arange(n)) ** 2
    usage = 1 + 0.02 * invest + 0.01 * (ips - 100) + 0.1 * density + np.where(np.arange(n) % 2, 0.05, -0.05)
    codes = [f"T{i:02d}" for i in range(n)]
    usage[-1] -= 2.0  # the largest investment
    usage[0] += 2.0  # the smallest
    codes[-1], codes[0] = "T01", "T02"
    return pd.DataFrame(
        {
            "code": codes,
            "name": [f"Territoire {c}" for c in codes],
            "invest_per_pupil": invest,
            "ent_visits_per_pupil_week": usage,
            "ips": ips,
            "log_density": density,
        }
    )


def test_outliers_are_listed_with_their_wording():
    simple, adjusted, outliers = analyse(toy_territories())
    assert simple.terms == ["constante", "invest_per_pupil"]
    assert adjusted.terms == ["constante", "invest_per_pupil", "ips", "log_density"]
    assert outliers["code"].tolist() == ["T01", "T02"]  # sorted by residual, lowest first
    assert outliers["wording"].tolist() == [HIGH_SPEND_LOW_USE, LOW_SPEND_HIGH_USE]
    assert outliers["residual_z"].iloc[0] < -2 < 2 < outliers["residual_z"].iloc[1]


def test_warehouse_values_are_the_indicators(rennes):
    result = spend_use(rennes, "epci", usage_year=2025, lag=1)
    assert result.invest_year == 2024
    data = result.data.set_index("code")
    invest = indicator_table(rennes, "epci", "invest_per_pupil", (2024, 2024)).set_index("code")
    visits = indicator_table(rennes, "epci", "ent_visits_per_pupil_week", (2025, 2025)).set_index("code")
    # every EPCI with an investment and a measured usage: 60 of the 61 (one has no measured school)
    both = invest["value"].notna() & visits["value"].reindex(invest.index).notna()
    assert len(data) == result.adjusted.n == int(both.sum()) == 60
    assert data["invest_per_pupil"].to_numpy() == pytest.approx(invest.loc[data.index, "value"].to_numpy())
    visits_shown = data["ent_visits_per_pupil_week"].to_numpy()
    assert visits_shown == pytest.approx(visits.loc[data.index, "value"].to_numpy())
    # every EPCI of the académie has schools; the one not in the model has no measured usage
    epci = rennes.execute("select count(*) from territory where level = 'epci'").fetchone()[0]
    assert result.excluded == epci - 60 == 1


def test_lag_table_has_one_row_per_lag(rennes):
    lags = lag_table(rennes, "epci", 2025)
    assert lags["lag"].tolist() == [0, 1, 2, 3]
    assert lags["invest_year"].tolist() == [2025, 2024, 2023, 2022]
    assert (lags["adjusted_low"] <= lags["adjusted_slope"]).all()
    assert (lags["adjusted_slope"] <= lags["adjusted_high"]).all()


def test_school_level_is_refused(rennes):
    with pytest.raises(SpendUseError, match="Niveau « school » non disponible"):
        spend_use(rennes, "school")
    with pytest.raises(SpendUseError, match="Décalage de 5 an"):
        spend_use(rennes, "epci", lag=5)


def test_adjusted_view_puts_residuals_around_the_line():
    data = toy_territories()
    simple, adjusted, outliers = analyse(data)
    result = SpendUse(data, simple, adjusted, outliers, "epci", 2025, 0, 0)
    y_adj = adjusted_usage(result)
    line = adjusted.coef[0] + adjusted.coef[1] * data["invest_per_pupil"]
    line += adjusted.coef[2] * data["ips"].mean() + adjusted.coef[3] * data["log_density"].mean()
    residuals = data["ent_visits_per_pupil_week"] - adjusted.predict(data[["invest_per_pupil", "ips", "log_density"]])
    assert (y_adj - line).to_numpy() == pytest.approx(residuals.to_numpy())
    band = line_band(result, adjusted=True, points=5)
    assert band["invest_per_pupil"].tolist() == pytest.approx([20, 43.75, 67.5, 91.25, 115])
    assert band["fit"].diff().dropna().to_numpy() == pytest.approx([adjusted.coef[1] * 23.75] * 4)
    assert (band["low"] < band["fit"]).all() and (band["fit"] < band["high"]).all()
    simple_band = line_band(result, points=2)
    assert simple_band["fit"].tolist() == pytest.approx([simple.coef[0] + simple.coef[1] * v for v in (20, 115)])
