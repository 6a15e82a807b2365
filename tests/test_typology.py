"""Typology estimator on toy data with known groups, and class labels from hand-made profiles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.metrics import adjusted_rand_score

from explorer.analysis.typology import Typology, choose_k
from explorer.analysis.typology_labels import class_label, class_labels
from explorer.errors import TypologyError


def blobs(sizes=(40, 30, 20), seed=0) -> tuple[pd.DataFrame, np.ndarray]:
    """Three tight, well separated groups in three variables (sizes 40, 30, 20)."""
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 0.0, 0.0], [10.0, 0.0, 5.0], [0.0, 10.0, -5.0]])
    truth = np.repeat(np.arange(len(sizes)), sizes)
    values = centres[truth] + rng.normal(scale=0.3, size=(len(truth), 3))
    return pd.DataFrame(values, columns=["a", "b", "c"]), truth


@pytest.mark.parametrize("method", ["kmeans", "ward"])
def test_known_groups_are_recovered_exactly(method):
    X, truth = blobs()
    model = Typology(method=method, random_state=0, n_resamples=5).fit(X)
    assert model.n_clusters_ == 3  # chosen by the silhouette scan
    assert adjusted_rand_score(truth, model.labels_) == 1.0
    # classes numbered by decreasing size: the 40-row group is class 0
    assert list(np.bincount(model.labels_)) == [40, 30, 20]
    assert list(model.labels_[:40]) == [0] * 40
    assert model.silhouette_curve_["k"].tolist() == list(range(3, 9))
    assert model.silhouette_ == model.silhouette_curve_["silhouette"].max() > 0.8
    assert model.stability_ == 1.0  # such groups survive every resample


def test_k_rule_best_silhouette_among_ks_without_a_tiny_class():
    curve = pd.DataFrame(
        {
            "k": [3, 4, 5, 6],
            "silhouette": [0.30, 0.45, 0.40, float("nan")],
            "smallest_class": [12, 2, 5, 1],
            "eligible": [True, False, True, False],
        }
    )
    assert choose_k(curve) == 5  # 4 has the best silhouette but a class of 2
    none = curve.assign(eligible=False)
    assert choose_k(none) == 3  # nothing qualifies: the k whose smallest class is largest


def test_a_class_of_two_territories_is_flagged_in_the_scan():
    X, _ = blobs()
    # Two far-away territories: they make a class of 2 whatever k, which the rule flags.
    X = pd.concat([X, pd.DataFrame([[40.0, 40.0, 40.0], [40.5, 40.0, 40.0]], columns=X.columns)], ignore_index=True)
    model = Typology(random_state=0, n_resamples=2).fit(X)
    curve = model.silhouette_curve_.set_index("k")
    assert model.min_class_size_ == 3  # max(3, 2 % of 92 rows rounded up = 2)
    assert curve.loc[4, "smallest_class"] == 2 and not curve.loc[4, "eligible"]
    assert model.n_clusters_ == choose_k(model.silhouette_curve_)


def test_rows_lacking_a_variable_join_the_nearest_class_on_the_others():
    X, _ = blobs()
    model = Typology(k=3, random_state=0, n_resamples=2).fit(X)
    rows = X.iloc[[0, 45, 80]].copy()  # one row of each true group
    rows.iloc[0, 1] = np.nan
    rows.iloc[1, 0] = np.nan
    rows.iloc[2, :] = np.nan
    assigned = model.predict_partial(rows)
    assert assigned[0] == model.labels_[0] and assigned[1] == model.labels_[45]
    assert assigned[2] == -1  # nothing to compare


def test_same_seed_same_classes_and_forced_k():
    X, _ = blobs(seed=3)
    first = Typology(k=4, random_state=11, n_resamples=3).fit(X)
    second = Typology(k=4, random_state=11, n_resamples=3).fit(X)
    assert first.n_clusters_ == 4
    np.testing.assert_array_equal(first.labels_, second.labels_)
    assert first.stability_runs_ == second.stability_runs_


def test_ward_on_a_sample_assigns_every_row():
    X, truth = blobs(sizes=(400, 300, 200))
    model = Typology(method="ward", ward_max_rows=100, silhouette_sample=200, n_resamples=2).fit(X)
    assert len(model.labels_) == 900
    assert adjusted_rand_score(truth, model.labels_) == 1.0


def test_profiles_and_pca_by_hand():
    X = pd.DataFrame({"a": [0.0, 0.0, 2.0, 2.0, 2.0], "b": [1.0, 1.0, 5.0, 5.0, 5.0]})
    model = Typology(k=2, n_resamples=0).fit(X)
    # class 0 = the three rows (2, 5), class 1 = the two rows (0, 1)
    assert model.profiles_["size"].tolist() == [3, 2]
    assert model.profiles_.loc[0, "a"] == 2.0 and model.profiles_.loc[1, "b"] == 1.0
    assert model.overall_["a"] == pytest.approx(1.2)
    # standardised: a has mean 1.2 and sd 0.9798; class 0 mean (2 − 1.2) / 0.9798 = 0.8165
    assert model.z_profiles_.loc[0, "a"] == pytest.approx(0.8 / np.sqrt(0.96))
    # both variables carry the same information: one component explains everything
    assert model.pca_.explained[0] == pytest.approx(1.0)
    assert model.pca_.loadings["pc1"].abs().tolist() == pytest.approx([1.0, 1.0])
    assert np.isnan(model.stability_)


def test_bad_input_gets_french_messages():
    X, _ = blobs()
    with pytest.raises(TypologyError, match="Méthode « dbscan » inconnue"):
        Typology(method="dbscan").fit(X)
    with pytest.raises(TypologyError, match="colonne « b »"):
        Typology().fit(X.assign(b=np.where(X.index == 3, np.nan, X["b"])))
    with pytest.raises(TypologyError, match="k=95 classes demandées pour n=90"):
        Typology(k=95).fit(X)
    with pytest.raises(TypologyError, match="au moins deux variables"):
        Typology().fit(X[["a"]])


def test_label_follows_from_the_profile():
    z = {"log_density": -1.2, "invest_per_pupil": 0.9, "ent_visits_per_pupil_week": -0.7, "ips": 0.2}
    assert class_label(z, "commune") == "communes rurales, fort investissement, usage faible"
    assert class_label(z, "epci") == "EPCI ruraux, fort investissement, usage faible"
    urban = {"log_density": 0.8, "ips": 0.6, "usage_growth": 1.5, "invest_per_pupil_formation": -0.55}
    assert class_label(urban, "school") == (
        "établissements urbains, usage en forte hausse, IPS élevé, faible investissement en formation"
    )
    assert class_label({"log_density": 0.4, "ips": -0.5}, "departement") == "départements proches de la moyenne"
    assert class_label({"ips": -0.51}, "commune") == "communes, IPS faible"
    assert class_label({"log_population": 0.7, "log_density": -0.9}, "commune") == "communes rurales, forte population"
    # at most three phrases, by decreasing distance from the mean
    many = {"invest_per_pupil": 0.6, "ent_visits_per_pupil_week": 2.0, "ips": -1.0, "coverage_share": 0.7}
    assert class_label(many, "commune") == ("communes, usage élevé, IPS faible, forte part d'établissements mesurés")


def test_labels_of_a_fitted_typology():
    X, _ = blobs()
    X.columns = ["invest_per_pupil", "ent_visits_per_pupil_week", "log_density"]
    model = Typology(n_resamples=0).fit(X)
    labels = class_labels(model.z_profiles_, "commune")
    # group 0 (0, 0, 0): low investment, low use, density in between (z of c ≈ 0)
    assert labels == {
        0: "communes, faible investissement, usage faible",
        1: "communes urbaines, fort investissement, usage faible",
        2: "communes rurales, usage élevé, faible investissement",
    }


def test_scikit_learn_conventions():
    X, truth = blobs()
    model = Typology(method="ward", k=3, random_state=5)
    assert model.get_params()["method"] == "ward" and model.get_params()["k"] == 3
    assert not hasattr(model, "labels_")  # learned attributes only after fit
    labels = clone(model).set_params(n_resamples=0).fit_predict(X)
    assert adjusted_rand_score(truth, labels) == 1.0
