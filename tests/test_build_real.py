"""``build --source real``: a warehouse from loaded files only, saying what is real and what is missing."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from explorer.cli.main import main
from explorer.warehouse.provenance import data_parts

ANNUAIRE_HEADER = (
    "Identifiant_de_l_etablissement;Nom_etablissement;Type_etablissement;Statut_public_prive;"
    "Code_commune;code_nature;libelle_nature;latitude;longitude\n"
)
# Four schools kept (one in a Paris arrondissement, mapped to Paris 75056), one service left out.
ANNUAIRE_ROWS = [
    "0350122T;Ecole primaire publique les Lucioles;Ecole;Public;35016;151;ECOLE DE NIVEAU ELEMENTAIRE;47.986;-1.929",
    "0350017D;Collège du Querpon;Collège;Public;35168;340;COLLEGE;47.891;-1.989",
    "0350042F;Lycée Jean Macé;Lycée;Public;35238;300;LYCEE ENSEIGNEMENT GENERAL ET TECHNOLOGIQUE;48.117;-1.676",
    "0750001A;Ecole élémentaire privée;Ecole;Privé;75105;151;ECOLE DE NIVEAU ELEMENTAIRE;48.845;2.350",
    "0351234X;Direction des services départementaux;Service Administratif;Public;35238;800;SERVICE;48.11;-1.68",
]
GEOLOC = (
    "numero_uai;appellation_officielle;secteur_public_prive_libe;code_commune;nature_uai;nature_uai_libe;"
    "latitude;longitude\n"
    "0350017D;COLLEGE DU QUERPON (géoloc);Public;35168;340;COLLEGE;47.8915;-1.9895\n"
    "0290001K;Collège de Brest;Public;29019;340;COLLEGE;48.39;-4.48\n"
)


@pytest.fixture(scope="module")
def real_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("real")
    annuaire = folder / "annuaire.csv"
    annuaire.write_text("\ufeff" + ANNUAIRE_HEADER + "\n".join(ANNUAIRE_ROWS) + "\n", encoding="utf-8")
    geoloc = folder / "geoloc.csv"
    geoloc.write_text(GEOLOC, encoding="utf-8")
    db = folder / "warehouse.duckdb"
    assert main(["load", "fr-en-annuaire-education", str(annuaire), "--db", str(db)]) == 0
    assert main(["load", "fr-en-adresse-et-geolocalisation-etablissements-premier-et-second-degre", str(geoloc),
                 "--db", str(db)]) == 0  # fmt: skip
    assert main(["build", "--source", "real", "--db", str(db)]) == 0
    return db


def test_real_build_holds_the_loaded_schools_and_nothing_simulated(real_db: Path) -> None:
    with duckdb.connect(str(real_db), read_only=True) as con:
        schools = dict(con.execute("select uai, commune_code from school").fetchall())
        assert schools == {
            "0350122T": "35016",
            "0350017D": "35168",
            "0350042F": "35238",
            "0750001A": "75056",  # arrondissement 75105 → Paris
            "0290001K": "29019",
        }
        # The annuaire wins over the geolocation file for a UAI both list.
        assert con.execute("select name from school where uai = '0350017D'").fetchone() == ("Collège du Querpon",)
        for table in ("usage", "resource_use", "investment", "enrolment", "ips"):
            assert con.execute(f"select count(*) from {table}").fetchone() == (0,), table
        info = dict(con.execute("select key, value from build_info").fetchall())
        assert info["source"] == "real" and info["is_simulated"] == "false"
        assert info["part:etablissements"] == "real" and info["part:usages"] == "missing"
        simulated = con.execute("select count(*) from sources where is_simulated").fetchone()
        assert simulated == (0,)
        parts = {p.key: p for p in data_parts(con)}
        assert parts["etablissements"].status == "real"
        assert set(parts["etablissements"].datasets) == {
            "fr-en-annuaire-education",
            "fr-en-adresse-et-geolocalisation-etablissements-premier-et-second-degre",
        }
        assert parts["usages"].status == "missing" and parts["investissements"].status == "missing"


def test_real_build_without_any_load_says_what_to_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "empty.duckdb"
    assert main(["build", "--source", "real", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "Aucune donnée réelle chargée" in err and "python -m explorer load" in err
    assert not db.exists()


def _kept_schools(path: Path, uai: str, nature: str) -> set[str]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    out = set()
    for row in rows:
        code = int(row[nature]) if row[nature].isdigit() else -1
        if 100 <= code < 200 or 300 <= code < 360:
            out.add(row[uai])
    return out


@pytest.mark.slow
def test_real_build_from_the_shared_extracts(shared_real: Path, tmp_path: Path) -> None:
    """Annuaire of Ille-et-Vilaine + national collège geolocation: every school of the
    COG 2026 geography is in the warehouse; those of the collectivités d'outre-mer are not."""
    db = tmp_path / "warehouse.duckdb"
    annuaire = shared_real / "annuaire_education_dep35_ille_et_vilaine.csv"
    geoloc = shared_real / "geoloc_etablissements_france_colleges.csv"
    assert main(["load", "fr-en-annuaire-education", str(annuaire), "--db", str(db)]) == 0
    assert main(["load", "fr-en-adresse-et-geolocalisation-etablissements-premier-et-second-degre", str(geoloc),
                 "--db", str(db)]) == 0  # fmt: skip
    assert main(["build", "--source", "real", "--db", str(db)]) == 0
    expected = _kept_schools(annuaire, "Identifiant_de_l_etablissement", "code_nature")
    with open(geoloc, encoding="utf-8-sig", newline="") as fh:
        com = {r["numero_uai"] for r in csv.DictReader(fh, delimiter=";") if r["code_departement"][:2] in ("97", "98")
               and r["code_departement"] not in ("971", "972", "973", "974", "976")}  # fmt: skip
    expected |= _kept_schools(geoloc, "numero_uai", "nature_uai")
    expected -= com
    with duckdb.connect(str(db), read_only=True) as con:
        found = {r[0] for r in con.execute("select uai from school").fetchall()}
        assert found == expected
        assert len(found) == 8313


PAGES = [
    "pages/accueil.py",
    "pages/carte.py",
    "pages/diagnostic.py",
    "pages/comparer.py",
    "pages/typologie.py",
    "pages/investissement_usage.py",
    "pages/prospective.py",
    "pages/donnees.py",
]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_says_which_parts_are_real_and_which_are_missing(
    real_db: Path, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("EXPLORER_DB", str(real_db))
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "streamlit_app.py"), default_timeout=120).run()
    at = at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    banner = " ".join(i.value for i in at.info)
    assert "Données réelles : géographie (COG 2026), établissements (fr-en-adresse-et-geolocalisation" in banner
    missing = "Absentes de cet entrepôt (non chargées) : effectifs d'élèves, IPS, investissements, usages de l'ENT"
    assert missing in banner
    assert "Données simulées" not in " ".join(w.value for w in at.warning)


def test_programme_money_goes_to_the_convention_territory_and_school_kind(tmp_path: Path) -> None:
    """SNEE of commune 35016 → its école only; hybridation of région 53 → its lycée only.
    Nothing goes to the Paris école, the collège, or to schools of other territories."""
    files = {
        "annuaire.csv": "\ufeff" + ANNUAIRE_HEADER + "\n".join(ANNUAIRE_ROWS) + "\n",
        "ecoles.csv": (
            "Rentrée scolaire;Numéro de l'école;Nombre total d'élèves\n2021;0350122T;143\n2021;0750001A;200\n"
        ),
        "colleges.csv": "rentree_scolaire;numero_du_college;nombre_d_eleves_total\n2021;0350017D;500\n",
        "lycees.csv": "rentree_scolaire;numero_lycee;nombre_d_eleves\n2021;0350042F;1000\n",
        "snee.csv": (
            "code_region;region_academique_ou_com;code_departement;raison_sociale_du_signataire_de_la_convention;"
            "siren_signataire_de_la_convention;code_commune_siege;nom_officiel_commune_siege;"
            "depenses_realisees_par_la_collectivite;montant_de_la_subvention\n"
            "53;Bretagne;35;COMMUNE DE BAULON;213500168;35016;Baulon;10000.00;7000.00\n"
        ),
        "hybridation.csv": (
            "Code région;Région ou DROM-COM;Raison sociale du signataire de la convention;"
            "Dépenses réalisées par la collectivité;Montant de la subvention\n"
            "53;Bretagne;REGION BRETAGNE;100000,00;40000,00\n"
        ),
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    db = tmp_path / "w.duckdb"
    for dataset, name in [
        ("fr-en-annuaire-education", "annuaire.csv"),
        ("fr-en-ecoles-effectifs-nb_classes", "ecoles.csv"),
        ("fr-en-college-effectifs-niveau-sexe-lv", "colleges.csv"),
        ("fr-en-lycee_gt-effectifs-niveau-sexe-lv", "lycees.csv"),
        ("fr-en-aap-snee-collectivites", "snee.csv"),
        ("fr-en-hybridation_lycees_par_collectivite", "hybridation.csv"),
    ]:
        assert main(["load", dataset, str(tmp_path / name), "--db", str(db)]) == 0, dataset
    assert main(["build", "--source", "real", "--db", str(db)]) == 0  # national: the Paris école is there
    with duckdb.connect(str(db), read_only=True) as con:
        shares = con.execute(
            "select programme, funder_level, uai, round(sum(amount_eur), 2) from investment_school "
            "group by all order by all"
        ).fetchall()
    assert shares == [
        ("SNEE", "commune", "0350122T", 3000.0),
        ("SNEE", "etat", "0350122T", 7000.0),
        ("hybridation_lycees", "etat", "0350042F", 40000.0),
        ("hybridation_lycees", "region", "0350042F", 60000.0),
    ]


def test_diagnostic_shows_the_published_local_finance_of_a_commune(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """OFGL fixture → the Diagnostic sheet of Rennes lists its budget-principal aggregates."""
    from streamlit.testing.v1 import AppTest

    fixture = Path(__file__).parent / "data" / "connectors" / "ofgl-base-communes.csv"
    with open(fixture, encoding="utf-8-sig", newline="") as fh:
        rennes = [r for r in csv.DictReader(fh, delimiter=";")
                  if r["Code Insee 2023 Commune"] == "35238" and r["Type de budget"] == "Budget principal"]  # fmt: skip
    assert rennes
    annuaire = tmp_path / "annuaire.csv"
    annuaire.write_text(ANNUAIRE_HEADER + "\n".join(ANNUAIRE_ROWS) + "\n", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    assert main(["load", "fr-en-annuaire-education", str(annuaire), "--db", str(db)]) == 0
    assert main(["load", "ofgl-base-communes", str(fixture), "--db", str(db)]) == 0
    assert main(["build", "--source", "real", "--db", str(db), "--scope", "academie:14"]) == 0
    monkeypatch.setenv("EXPLORER_DB", str(db))
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "streamlit_app.py"), default_timeout=120).run()
    at.query_params["territoire"] = "commune:35238"
    at = at.switch_page("pages/diagnostic.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Agrégats publiés pour ce territoire" in [s.value for s in at.subheader]
    [table] = [d.value for d in at.dataframe if "Indicateur" in d.value.columns and "Période" in d.value.columns]
    shown = dict(zip(table["Indicateur"], table["Valeur"], strict=True))
    for row in rennes:
        amount = float(row["Montant"].replace(",", "."))
        expected = f"{amount:,.0f}".replace(",", "\u202f") + " €"
        assert shown[row["Agrégat"]] == expected, row["Agrégat"]
    assert set(table["Période"]) == {"2023"}
    assert "Usage hebdomadaire de l'ENT : aucune semaine mesurée" in " ".join(c.value for c in at.caption)


def test_connector_table_of_the_docs_is_up_to_date() -> None:
    import importlib.util

    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location("connectors_table", root / "scripts" / "connectors_table.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.table() in (root / "docs" / "connectors.md").read_text(encoding="utf-8")


def test_donnees_page_lists_each_part_with_its_status(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("EXPLORER_DB", str(real_db))
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "streamlit_app.py"), default_timeout=120).run()
    at = at.switch_page("pages/donnees.py").run()
    [parts] = [t.value for t in at.table if "Statut" in t.value.columns]
    rows = {r["Partie"]: (r["Statut"], r["Jeux de données"]) for r in parts.to_dict("records")}
    assert rows["Établissements"] == (
        "réel",
        "fr-en-adresse-et-geolocalisation-etablissements-premier-et-second-degre, fr-en-annuaire-education",
    )
    for part in ("Effectifs d'élèves", "IPS", "Investissements", "Usages de l'ENT", "Usages des ressources numériques"):
        assert rows[part] == ("absent", "—"), part


@pytest.mark.parametrize(
    ("page", "what", "stops"),
    [
        ("pages/investissement_usage.py", "Le rapprochement investissement → usage a besoin", True),
        ("pages/prospective.py", "La projection des visites ENT par élève a besoin", True),
        ("pages/typologie.py", "La typologie avec ses variables par défaut a besoin", False),
    ],
)
def test_pages_that_need_missing_parts_say_what_to_load(
    real_db: Path, monkeypatch: pytest.MonkeyPatch, page: str, what: str, stops: bool
) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("EXPLORER_DB", str(real_db))
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "streamlit_app.py"), default_timeout=120).run()
    at = at.switch_page(page).run()
    assert not at.exception
    [note] = [w.value for w in at.warning if what in w.value]
    assert "usages de l'ENT" in note and "fr-en-dnma-par-uai-profils" in note and "--source real" in note
    if stops:  # nothing computed on empty tables: no technical error below the note
        assert not at.error
