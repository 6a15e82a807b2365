"""Investment → use: how usage per pupil goes with investment per pupil a few years earlier.

One row per territory: investment per pupil of budget year ``Y − lag`` (``lag`` = 0..3) and ENT
visits per pupil and per school week of the school year starting in ``Y``, with the IPS and the
population density (log10 hab./km²) of year ``Y`` as controls. Two ordinary least-squares fits:

- *simple* — ``usage = a + b × investissement`` (the line and its 95 % confidence band of the
  scatter);
- *ajusté* — ``usage = a + b × investissement + c × IPS + d × log10(densité)``: ``b`` then
  compares territories of the same IPS and density.

Coefficients and standard errors (``σ² (XᵀX)⁻¹``) come from ``statsmodels`` OLS; the t-based
95 % intervals and the band are derived from them here. Territories whose standardised residual of the adjusted fit
exceeds :data:`OUTLIER_Z` in absolute value are listed. This is an **association** between
territories, not an effect: nothing here says that spending caused (or failed to cause) use.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from explorer.analysis.features import REASON_NO_SCHOOL, load_features
from explorer.errors import SpendUseError

LEVELS = ("departement", "epci", "commune")
LAGS = (0, 1, 2, 3)
OUTLIER_Z = 2.0
X_COLUMN = "invest_per_pupil"
Y_COLUMN = "ent_visits_per_pupil_week"
CONTROLS = ("ips", "log_density")

HIGH_SPEND_LOW_USE = "fort investissement, faible usage"
BELOW_EXPECTED = "usage inférieur à ce que l'investissement laisse attendre"
LOW_SPEND_HIGH_USE = "faible investissement, fort usage"
ABOVE_EXPECTED = "usage supérieur à ce que l'investissement laisse attendre"


@dataclass(frozen=True)
class OlsFit:
    """Ordinary least squares with an intercept.

    Attributes
    ----------
    terms : ``["constante", *columns]``.
    coef, se : coefficients and their standard errors (same order as ``terms``).
    cov : covariance matrix of the coefficients, ``σ² (XᵀX)⁻¹``.
    sigma : residual standard deviation, ``√(RSS / (n − p))``.
    r2 : coefficient of determination.
    n : observations.
    """

    terms: list[str]
    coef: np.ndarray
    se: np.ndarray
    cov: np.ndarray
    sigma: float
    r2: float
    n: int

    @property
    def dof(self) -> int:
        return self.n - len(self.terms)

    def t_critical(self, level: float = 0.95) -> float:
        return float(stats.t.ppf(0.5 + level / 2, self.dof))

    def table(self) -> pd.DataFrame:
        """``term, coef, se, low, high, p_value`` (95 % interval, two-sided t test)."""
        t = self.coef / self.se
        half = self.t_critical() * self.se
        return pd.DataFrame(
            {
                "term": self.terms,
                "coef": self.coef,
                "se": self.se,
                "low": self.coef - half,
                "high": self.coef + half,
                "p_value": 2 * stats.t.sf(np.abs(t), self.dof),
            }
        )

    def design(self, X: pd.DataFrame) -> np.ndarray:
        return np.column_stack([np.ones(len(X)), X.to_numpy(dtype=float)])

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return self.design(X) @ self.coef

    def band(self, X: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
        """Fitted mean and its confidence interval at the rows of ``X``: ``fit, low, high``."""
        D = self.design(X)
        fit = D @ self.coef
        se = np.sqrt(np.einsum("ij,jk,ik->i", D, self.cov, D))
        half = self.t_critical(level) * se
        return pd.DataFrame({"fit": fit, "low": fit - half, "high": fit + half}, index=X.index)


def ols(X: pd.DataFrame, y: pd.Series) -> OlsFit:
    """Fit ``y = constante + X β`` by least squares.

    Parameters
    ----------
    X : DataFrame of float columns, no missing value.
    y : Series of floats, same length.
    """
    n, p = len(X), X.shape[1] + 1
    if n <= p:
        raise SpendUseError(f"{n} territoires pour {p} coefficients : il en faut au moins {p + 1}.")
    D = np.column_stack([np.ones(n), X.to_numpy(dtype=float)])
    target = y.to_numpy(dtype=float)
    fit = sm.OLS(target, D).fit()
    coef = np.asarray(fit.params, dtype=float)
    cov = np.asarray(fit.cov_params(), dtype=float)
    tss = float(((target - target.mean()) ** 2).sum())
    r2 = float(fit.rsquared) if tss > 0 else float("nan")
    return OlsFit(["constante", *X.columns], coef, np.sqrt(np.diag(cov)), cov, float(np.sqrt(fit.scale)), r2, n)


@dataclass(frozen=True)
class SpendUse:
    """The data, both fits and the outliers of one level, usage year and lag."""

    data: pd.DataFrame
    simple: OlsFit
    adjusted: OlsFit
    outliers: pd.DataFrame
    level: str
    usage_year: int
    lag: int
    excluded: int

    @property
    def invest_year(self) -> int:
        return self.usage_year - self.lag


def spend_use_data(con: duckdb.DuckDBPyConnection, level: str, usage_year: int, lag: int) -> tuple[pd.DataFrame, int]:
    """Territories with all four variables, and the number left out.

    Returns
    -------
    (DataFrame ``code, name, invest_per_pupil, ent_visits_per_pupil_week, ips, log_density``,
    number of territories with at least one school left out: secret or missing values).
    """
    if level not in LEVELS:
        raise SpendUseError(f"Niveau « {level} » non disponible ici : choisissez parmi {', '.join(LEVELS)}.")
    if lag not in LAGS:
        raise SpendUseError(f"Décalage de {lag} an(s) non prévu : choisissez 0, 1, 2 ou 3.")
    spend_year = usage_year - lag
    invest = load_features(con, level, [X_COLUMN], (spend_year, spend_year))
    use = load_features(con, level, [Y_COLUMN, *CONTROLS], (usage_year, usage_year))
    data = invest.data.merge(use.data.drop(columns="name"), on="code", how="inner")
    with_schools = set(invest.data["code"]) | set(
        invest.excluded.loc[invest.excluded["reason"] != REASON_NO_SCHOOL, "code"]
    )
    return data.reset_index(drop=True), len(with_schools - set(data["code"]))


def outlier_wording(residual_z: float, invest_z: float) -> str:
    """French wording of a territory far from the adjusted line."""
    if residual_z < 0:
        return HIGH_SPEND_LOW_USE if invest_z > 0 else BELOW_EXPECTED
    return LOW_SPEND_HIGH_USE if invest_z < 0 else ABOVE_EXPECTED


def analyse(data: pd.DataFrame, outlier_z: float = OUTLIER_Z) -> tuple[OlsFit, OlsFit, pd.DataFrame]:
    """Simple and adjusted fits, and the territories with |standardised residual| > ``outlier_z``.

    Parameters
    ----------
    data : DataFrame with ``code, name`` and the float columns ``invest_per_pupil,
        ent_visits_per_pupil_week, ips, log_density`` (no missing value).

    Returns
    -------
    (simple fit, adjusted fit, outliers ``code, name, invest_per_pupil,
    ent_visits_per_pupil_week, expected, residual_z, wording`` sorted by residual).
    """
    y = data[Y_COLUMN]
    simple = ols(data[[X_COLUMN]], y)
    adjusted = ols(data[[X_COLUMN, *CONTROLS]], y)
    expected = adjusted.predict(data[[X_COLUMN, *CONTROLS]])
    residual_z = (y.to_numpy() - expected) / adjusted.sigma
    invest = data[X_COLUMN]
    invest_z = ((invest - invest.mean()) / invest.std(ddof=0)).to_numpy()
    far = np.abs(residual_z) > outlier_z
    outliers = data.loc[far, ["code", "name", X_COLUMN, Y_COLUMN]].assign(
        expected=expected[far],
        residual_z=residual_z[far],
        wording=[outlier_wording(r, i) for r, i in zip(residual_z[far], invest_z[far], strict=True)],
    )
    return simple, adjusted, outliers.sort_values("residual_z").reset_index(drop=True)


def spend_use(con: duckdb.DuckDBPyConnection, level: str, usage_year: int = 2025, lag: int = 0) -> SpendUse:
    """:func:`spend_use_data` then :func:`analyse` for one level, usage year and lag."""
    data, excluded = spend_use_data(con, level, usage_year, lag)
    if len(data) < 6:
        raise SpendUseError(
            f"Seulement {len(data)} territoire(s) ont toutes les valeurs pour l'année {usage_year} et un décalage "
            f"de {lag} an(s) : il en faut au moins 6. Choisissez un niveau plus large."
        )
    simple, adjusted, outliers = analyse(data)
    return SpendUse(data, simple, adjusted, outliers, level, usage_year, lag, excluded)


def lag_table(con: duckdb.DuckDBPyConnection, level: str, usage_year: int = 2025) -> pd.DataFrame:
    """Investment coefficient for each lag 0..3: ``lag, invest_year, n, slope, adjusted_slope,
    adjusted_low, adjusted_high, adjusted_r2`` (slopes in visits per pupil-week per € per pupil)."""
    rows = []
    for lag in LAGS:
        try:
            result = spend_use(con, level, usage_year, lag)
        except SpendUseError:
            continue
        coef = result.adjusted.table().set_index("term").loc[X_COLUMN]
        rows.append(
            {
                "lag": lag,
                "invest_year": result.invest_year,
                "n": result.adjusted.n,
                "slope": float(result.simple.coef[1]),
                "adjusted_slope": float(coef["coef"]),
                "adjusted_low": float(coef["low"]),
                "adjusted_high": float(coef["high"]),
                "adjusted_r2": result.adjusted.r2,
            }
        )
    return pd.DataFrame(rows)


def line_band(result: SpendUse, adjusted: bool = False, points: int = 50) -> pd.DataFrame:
    """The fitted line and its 95 % confidence band over the observed investment range.

    With ``adjusted``, the line of the adjusted model with the IPS and the density held at
    their means over the territories (the slope is the adjusted coefficient).

    Returns
    -------
    DataFrame ``invest_per_pupil, fit, low, high``.
    """
    x = result.data[X_COLUMN]
    grid = pd.DataFrame({X_COLUMN: np.linspace(x.min(), x.max(), points)})
    if adjusted:
        for control in CONTROLS:
            grid[control] = result.data[control].mean()
        band = result.adjusted.band(grid)
    else:
        band = result.simple.band(grid)
    return pd.concat([grid[[X_COLUMN]], band], axis=1)


def adjusted_usage(result: SpendUse) -> pd.Series:
    """Usage of each territory brought to the mean IPS and density: ``y − c (IPS − moyenne) −
    d (densité − moyenne)``; its distance to the adjusted line is the model's residual."""
    coef = dict(zip(result.adjusted.terms, result.adjusted.coef, strict=True))
    out = result.data[Y_COLUMN].astype(float).copy()
    for control in CONTROLS:
        out -= coef[control] * (result.data[control] - result.data[control].mean())
    return out
