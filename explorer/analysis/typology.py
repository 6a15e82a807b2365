"""Typology of territories: standardised variables, k-means or Ward, k chosen by a documented rule.

The number of classes, when not given, is chosen among 3 to 8 (:data:`K_RANGE`): the best
silhouette among the k whose smallest class holds at least :data:`MIN_CLASS_SIZE` territories
and :data:`MIN_CLASS_SHARE` of them (a class of one or two territories describes nobody);
when no k qualifies, the k whose smallest class is largest. Territories that lack a variable
(usage not measured) join the class whose centre is nearest on the variables they have
(:meth:`Typology.predict_partial`): nobody is dropped silently.

:class:`Typology` follows scikit-learn's conventions (parameters stored by ``__init__``,
``fit`` validates and returns ``self``, learned attributes end in ``_``). It knows nothing of
territories: it takes a numeric DataFrame without missing values (see
:mod:`explorer.analysis.features` for how territories get one) and learns classes, a silhouette curve,
a 2-D PCA, class profiles and a stability score.

Scaling choices (commune or school level, tens of thousands of rows):
- the silhouette is computed on a random sample of ``silhouette_sample`` rows (its exact cost
  is quadratic in the number of rows) with a fixed ``random_state``;
- Ward needs the full distance matrix (memory quadratic in the rows): above ``ward_max_rows``
  rows the tree is grown on a random sample of that size and every row then joins the class
  with the nearest centroid. One tree serves every k of the scan (scipy's ``linkage`` cut by
  ``fcluster``), which scikit-learn's ``AgglomerativeClustering`` would rebuild for each k.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from explorer.errors import TypologyError

METHODS = ("kmeans", "ward")
METHOD_LABELS = {"kmeans": "k-moyennes", "ward": "classification hiérarchique (Ward)"}
K_RANGE = (3, 8)
MIN_CLASS_SIZE = 3
MIN_CLASS_SHARE = 0.02


@dataclass(frozen=True)
class PcaView:
    """Two-component PCA of the standardised variables.

    Attributes
    ----------
    coordinates : DataFrame ``pc1, pc2`` (one row per input row, same index).
    loadings : DataFrame indexed by variable, ``pc1, pc2``: correlation of each variable with
        each component (component × square root of its variance).
    explained : share of the variance explained by each component.
    """

    coordinates: pd.DataFrame
    loadings: pd.DataFrame
    explained: tuple[float, float]


def _nearest(points: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    d2 = ((points[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
    return d2.argmin(axis=1)


def choose_k(curve: pd.DataFrame) -> int:
    """The number of classes the rule picks from a scan (see the module's docstring).

    Parameters
    ----------
    curve : one row per k: ``k`` (int), ``silhouette`` (float, NaN when undefined),
        ``smallest_class`` (int), ``eligible`` (bool: the smallest class is large enough).
    """
    scored = curve.dropna(subset=["silhouette"])
    eligible = scored[scored["eligible"]]
    if len(eligible):
        return int(eligible.loc[eligible["silhouette"].idxmax(), "k"])
    if len(scored):
        return int(scored.loc[scored["smallest_class"].idxmax(), "k"])
    return int(curve["k"].iloc[0])


class Typology(ClusterMixin, BaseEstimator):
    """Classes of rows from standardised variables.

    A scikit-learn estimator: ``get_params``, ``set_params``, ``clone`` and ``fit_predict`` work.

    Parameters
    ----------
    method : ``"kmeans"`` or ``"ward"``.
    k : number of classes; None lets the best silhouette over ``k_range`` choose.
    random_state : seed of every random step (k-means starts, samples, resamples).
    k_range : smallest and largest k of the silhouette scan.
    n_resamples : bootstrap resamples of the stability score (0 skips it).
    silhouette_sample : rows sampled for each silhouette (all rows when fewer).
    ward_max_rows : rows of the Ward tree (a random sample above, then nearest centroid).
    n_init : k-means restarts per fit.
    n_threads : threads of the OpenMP/BLAS pools during ``fit``; None keeps the libraries'
        default. With a handful of variables the parallel overhead dominates: one thread was
        5 to 8 times faster on the project's shared 2-core server (``bench/typology.py``).

    Attributes
    ----------
    labels_ : ndarray of int, class of each row, numbered 0.. by decreasing size.
    n_clusters_ : the k used.
    silhouette_curve_ : DataFrame ``k, silhouette`` of the scan (the ks the data allows).
    silhouette_ : silhouette of the retained classes.
    centers_ : ndarray (k, p), class means of the standardised variables.
    profiles_ : DataFrame indexed by class: ``size``, then each variable's mean (original units).
    z_profiles_ : DataFrame indexed by class: each variable's class mean in standard deviations
        from the mean of all rows (the basis of the class labels).
    overall_ : Series, mean of each variable over all rows.
    pca_ : :class:`PcaView`.
    stability_ : mean adjusted Rand index between the classes and those refitted on bootstrap
        resamples (1 = identical partitions); NaN when ``n_resamples`` is 0.
    stability_runs_ : list of the ARIs of each resample.
    """

    def __init__(
        self,
        method: str = "kmeans",
        k: int | None = None,
        random_state: int = 0,
        k_range: tuple[int, int] = K_RANGE,
        n_resamples: int = 10,
        silhouette_sample: int = 3000,
        ward_max_rows: int = 4000,
        n_init: int = 4,
        n_threads: int | None = 1,
    ):
        self.method = method
        self.k = k
        self.random_state = random_state
        self.k_range = k_range
        self.n_resamples = n_resamples
        self.silhouette_sample = silhouette_sample
        self.ward_max_rows = ward_max_rows
        self.n_init = n_init
        self.n_threads = n_threads

    # -- validation ---------------------------------------------------------------------
    def _validate(self, X: pd.DataFrame) -> np.ndarray:
        if self.method not in METHODS:
            raise TypologyError(f"Méthode « {self.method} » inconnue : choisissez parmi {', '.join(METHODS)}.")
        if not isinstance(X, pd.DataFrame) or X.shape[1] < 2:
            raise TypologyError("Il faut au moins deux variables numériques pour une typologie.")
        values = X.to_numpy(dtype=float)
        bad = [c for c in X.columns if not np.isfinite(X[c].to_numpy(dtype=float)).all()]
        if bad:
            raise TypologyError(
                f"Valeurs manquantes ou infinies dans la colonne « {bad[0]} » : retirez ces lignes avant la typologie."
            )
        lo, hi = self.k_range
        if not 2 <= lo <= hi:
            raise TypologyError(f"Intervalle de k {self.k_range} invalide : il faut 2 ≤ k min ≤ k max.")
        n = len(values)
        if self.k is not None and not 2 <= self.k < n:
            raise TypologyError(f"k={self.k} classes demandées pour n={n} territoires : il faut 2 ≤ k < n.")
        if n < 3:
            raise TypologyError(f"Seulement {n} territoires complets : il en faut au moins 3 pour une typologie.")
        return values

    # -- clustering ---------------------------------------------------------------------
    def _kmeans(self, k: int, seed: int) -> Pipeline:
        return Pipeline(
            [
                ("scale", StandardScaler()),
                ("cluster", KMeans(n_clusters=k, n_init=self.n_init, random_state=seed)),
            ]
        )

    def _ward_labels(self, Z: np.ndarray, ks: list[int], seed: int) -> dict[int, np.ndarray]:
        """Ward classes of the rows of ``Z`` (standardised) for each k, from one tree."""
        n = len(Z)
        if n > self.ward_max_rows:
            rows = np.sort(np.random.default_rng(seed).choice(n, self.ward_max_rows, replace=False))
        else:
            rows = np.arange(n)
        tree = linkage(Z[rows], method="ward")
        out: dict[int, np.ndarray] = {}
        for k in ks:
            sample_labels = fcluster(tree, t=k, criterion="maxclust") - 1
            if len(rows) == n:
                out[k] = sample_labels
            else:
                centroids = np.vstack([Z[rows][sample_labels == c].mean(axis=0) for c in np.unique(sample_labels)])
                out[k] = _nearest(Z, centroids)
        return out

    def _labels_for(self, X: np.ndarray, Z: np.ndarray, ks: list[int], seed: int) -> dict[int, np.ndarray]:
        if self.method == "ward":
            return self._ward_labels(Z, ks, seed)
        return {k: self._kmeans(k, seed).fit(X).predict(X) for k in ks}

    def _silhouette(self, Z: np.ndarray, labels: np.ndarray) -> float:
        if len(np.unique(labels)) < 2:
            return float("nan")
        sample = self.silhouette_sample if len(Z) > self.silhouette_sample else None
        return float(silhouette_score(Z, labels, sample_size=sample, random_state=self.random_state))

    @staticmethod
    def _canonical(labels: np.ndarray, Z: np.ndarray) -> np.ndarray:
        """Renumber classes by decreasing size, ties by their centroid: same partition, same numbers."""
        classes = np.unique(labels)
        keys = sorted(classes, key=lambda c: (-(labels == c).sum(), *Z[labels == c].mean(axis=0).round(9)))
        mapping = {c: i for i, c in enumerate(keys)}
        return np.array([mapping[c] for c in labels], dtype=int)

    # -- public -------------------------------------------------------------------------
    def fit(self, X: pd.DataFrame, y: None = None) -> Typology:
        """Learn the classes of the rows of ``X``.

        Parameters
        ----------
        X : DataFrame of float columns (the variables), no missing value, at least 3 rows.
        """
        values = self._validate(X)
        with threadpool_limits(limits=self.n_threads):
            self._fit(X, values)
        return self

    def _fit(self, X: pd.DataFrame, values: np.ndarray) -> None:
        n = len(values)
        scaler = StandardScaler().fit(values)
        Z = scaler.transform(values)
        self.mean_ = scaler.mean_
        self.scale_ = scaler.scale_
        lo, hi = self.k_range
        distinct = len(np.unique(Z, axis=0))
        if distinct < 2:
            raise TypologyError("Tous les territoires ont le même profil : il n'y a rien à classer.")
        if self.k is not None and self.k > distinct:
            raise TypologyError(
                f"k={self.k} classes demandées pour {distinct} profils distincts : choisissez k ≤ {distinct}."
            )
        ks = [k for k in range(lo, hi + 1) if k < n and k <= distinct] or [2]
        if self.k is not None and self.k not in ks:
            ks = sorted({*ks, self.k})
        by_k = self._labels_for(values, Z, ks, self.random_state)
        smallest = [int(np.bincount(by_k[k]).min()) if len(np.unique(by_k[k])) == k else 0 for k in ks]
        floor = max(MIN_CLASS_SIZE, int(np.ceil(MIN_CLASS_SHARE * n)))
        self.silhouette_curve_ = pd.DataFrame(
            {
                "k": ks,
                "silhouette": [self._silhouette(Z, by_k[k]) for k in ks],
                "smallest_class": smallest,
                "eligible": [s >= floor for s in smallest],
            }
        )
        self.min_class_size_ = floor
        k = self.k if self.k is not None else choose_k(self.silhouette_curve_)
        self.labels_ = self._canonical(by_k[k], Z)
        self.n_clusters_ = len(np.unique(self.labels_))
        self.silhouette_ = float(self.silhouette_curve_.set_index("k").loc[k, "silhouette"])
        self._profile(X, Z)
        self.pca_ = self._pca(X, Z)
        self._stability(values, Z, k)

    def predict_partial(self, X: pd.DataFrame) -> np.ndarray:
        """Class of rows that may lack some variables: the nearest class centre on the variables
        each row has (standardised as the fitted rows); -1 for a row with no variable at all.

        Parameters
        ----------
        X : DataFrame with the fitted columns, float, NaN where a value is missing.
        """
        Z = (X[list(self.z_profiles_.columns)].to_numpy(dtype=float) - self.mean_) / self.scale_
        present = np.isfinite(Z)
        diff = np.where(present[:, None, :], Z[:, None, :] - self.centers_[None, :, :], 0.0)
        # Mean squared gap over the variables present, so rows with fewer variables compare alike.
        counts = present.sum(axis=1)
        distance = (diff**2).sum(axis=2) / np.maximum(counts, 1)[:, None]
        labels = distance.argmin(axis=1)
        return np.where(counts > 0, labels, -1)

    def _profile(self, X: pd.DataFrame, Z: np.ndarray) -> None:
        classes = pd.Series(self.labels_, index=X.index, name="class")
        means = X.groupby(classes).mean()
        self.profiles_ = pd.concat([classes.value_counts().sort_index().rename("size"), means], axis=1)
        self.profiles_.index.name = "class"
        self.z_profiles_ = pd.DataFrame(Z, columns=X.columns, index=X.index).groupby(classes).mean()
        self.z_profiles_.index.name = "class"
        self.centers_ = self.z_profiles_.to_numpy()
        self.overall_ = X.mean()

    @staticmethod
    def _pca(X: pd.DataFrame, Z: np.ndarray) -> PcaView:
        pca = PCA(n_components=2, random_state=0).fit(Z)
        coords = pd.DataFrame(pca.transform(Z), columns=["pc1", "pc2"], index=X.index)
        # explained_variance_ divides by n − 1 and the scaler by n: rescale so that the
        # loadings are the correlations of the variables with the components.
        n = len(Z)
        eigen = pca.explained_variance_ * (n - 1) / n
        loadings = pd.DataFrame(pca.components_.T * np.sqrt(eigen), index=X.columns, columns=["pc1", "pc2"])
        ratio = pca.explained_variance_ratio_
        return PcaView(coords, loadings, (float(ratio[0]), float(ratio[1])))

    def _stability(self, values: np.ndarray, Z: np.ndarray, k: int) -> None:
        """Refit on bootstrap resamples; classes of all rows compared with the adjusted Rand index."""
        rng = np.random.default_rng(self.random_state)
        n = len(values)
        size = min(n, 5000)  # resamples of at most 5 000 rows keep this linear in n
        runs: list[float] = []
        for b in range(self.n_resamples):
            rows = rng.choice(n, size, replace=True)
            if len(np.unique(Z[rows], axis=0)) <= k:
                continue
            seed = self.random_state + b + 1
            if self.method == "kmeans":
                labels = self._kmeans(k, seed).fit(values[rows]).predict(values)
            else:
                sub = self._ward_labels(Z[rows], [k], seed)[k]
                centroids = np.vstack([Z[rows][sub == c].mean(axis=0) for c in np.unique(sub)])
                labels = _nearest(Z, centroids)
            runs.append(float(adjusted_rand_score(self.labels_, labels)))
        self.stability_runs_ = runs
        self.stability_ = float(np.mean(runs)) if runs else float("nan")
