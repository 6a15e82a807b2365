"""Every page read as a user reads it: the text a real browser shows, once the page has settled.

``document.body.innerText`` of each page (and of the states that matter: a commune's
Diagnostic, Données with its budget uploader) must hold no English word of Streamlit's own
interface, no server path and no traceback. Material icons are drawn as ligatures (the word
« upload » shown as a pictogram): those words are not text a user reads and are left out.

What the text shows of raw codes and unfinished wording (issue 17, fixed elsewhere) is
checked by :func:`test_no_raw_codes_in_the_text`, expected to fail (strict) on the pages where
it was seen, so that it flips the day they are fixed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser import chromium_page, streamlit_server, wait_until_settled

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HOME = "Explorateur investissements × usages numériques"
# id → (path, h1 of the page)
PAGES = {
    "accueil": ("/", HOME),
    "carte": ("/carte", "Carte"),
    "carte-ille-et-vilaine": ("/carte?niveau=commune&territoire=departement:35", "Carte"),
    "diagnostic-departement": ("/diagnostic?territoire=departement:29", "Diagnostic"),
    "diagnostic-commune": ("/diagnostic?territoire=commune:35238", "Diagnostic"),
    # a commune of one school and a school's sheet: paths found in the warehouse (see `paths`)
    "diagnostic-petite-commune": ("", "Diagnostic"),
    "diagnostic-etablissement": ("", "Diagnostic"),
    "comparer": ("/comparer?territoire=departement:35&pairs=22,29,56", "Comparer"),
    "donnees": ("/donnees", "Données"),
    "typologie": ("/typologie", "Typologie"),
    "investissement-usage": ("/investissement_usage", "Investissement → usage"),
    "prospective": ("/prospective", "Prospective"),
}
UPLOADER_PAGES = {"donnees", "prospective"}

# Streamlit's interface in English: uploaders, element toolbars, main menu, status widget.
ENGLISH_CHROME = [
    "Upload",
    "MB per file",
    "Drag and drop",
    "Browse files",
    "Save as PNG",
    "Download as PNG",
    "Download as CSV",
    "View source",
    "Copy Vega-Lite spec",
    "Show data",
    "Search",
    "Fullscreen",
    "Print",
    "Record screen",
    "Made with Streamlit",
    "Running",
    "Deploy",
    "Rerun",
    "Clear cache",
    "Settings",
    "Page not found",
    "Skip to main content",
]
# Streamlit's English accessible names and placeholders (ui/chrome.py rewrites them in French).
ENGLISH_NAMES = [
    "App pages",
    "Sidebar",
    "Collapse sidebar",
    "Expand sidebar",
    "Help for",
    "Open",
    "— start",
    "— end",
    "Vega visualization",
    "Choose an option",
]
# Whole names that are English (a part of a longer name would match « OpenStreetMap »): the
# map's canvas and zoom buttons, the file uploader's input.
ENGLISH_WHOLE_NAMES = {"Map", "Zoom In", "Zoom Out", "file upload"}
# aria-label, placeholder and title of the elements a user reaches (Vega's own SVG marks left out).
NAMES_JS = """() => [...document.querySelectorAll('[aria-label],[placeholder],[title]')]
    .filter(e => !e.closest('svg') && e.checkVisibility())
    .flatMap(e => ['aria-label', 'placeholder', 'title'].map(a => e.getAttribute(a))).filter(Boolean)"""
SERVER_PATHS = ["/tmp/", "/work/", "/home/", "site-packages", ".duckdb"]
TRACEBACK = ["Traceback (most recent call last)", 'File "', "Error:"]

# Raw codes and unfinished wording (other parts of issue 17).
RAW_CODES = {
    "code of a resource family": re.compile(r"^(gar|manuel numerique|ressource [a-z ]+…?)$", re.MULTILINE),
    "table name in a source": re.compile(r"\(table [a-z_]+"),
    "singular count with a plural noun": re.compile(
        r"(?<![\d\u202f\u00a0,])1 (communes|établissements|territoires|écoles|collèges|lycées|élèves|scénarios)\b"
    ),
}
# Pages where raw codes are still expected (none since issue 17's labels): a strict xfail each.
RAW_CODES_SEEN: dict[str, str] = {}

# Every accessible name and role description inside the charts (Vega's SVG included), and
# each chart's own name: English ones (« X-axis titled 'Année' for a discrete scale… »,
# « line mark container », « Année: 2017; € par élève: 16,4130357143 ») were read out before
# the theme turned Vega's descriptions off.
CHART_ARIA_JS = """() => [...document.querySelectorAll(
        "[data-testid='stVegaLiteChart'], [data-testid='stVegaLiteChart'] [aria-label], "
        + "[data-testid='stVegaLiteChart'] [aria-roledescription]")]
    .flatMap(e => [e.getAttribute('aria-roledescription'), e.getAttribute('aria-label')]).filter(Boolean)"""
CHART_NAMES_JS = """() => [...document.querySelectorAll("[data-testid='stVegaLiteChart']")]
    .map(e => e.getAttribute('aria-label'))"""
# Every text of a chart (legend entries, axis labels and titles) that the chart's SVG cuts: its
# box passes an edge of the SVG by more than CLIP_PX (glyph boxes pass it by 1 to 3 px at the
# top and the left). Vega measures text before the page's font is drawn, and a legend laid out
# for a full-width chart overflows one of two columns (« ENT et lo… », « Maintena… »).
CLIP_PX = 4
CHART_CLIPPED_JS = f"""() => [...document.querySelectorAll("[data-testid='stVegaLiteChart'] svg.marks")]
    .flatMap(svg => {{
        const box = svg.getBoundingClientRect();
        return [...svg.querySelectorAll("text")].filter(t => {{
            const r = t.getBoundingClientRect();
            return r.width > 0 && (r.right > box.right + {CLIP_PX} || r.left < box.left - {CLIP_PX}
                || r.bottom > box.bottom + {CLIP_PX} || r.top < box.top - {CLIP_PX});
        }}).map(t => t.textContent);
    }})"""
# The texts a chart shows: Vega keeps the labels it hides for overlapping, at opacity 0.
CHART_TEXTS_JS = """() => [...document.querySelectorAll("[data-testid='stVegaLiteChart'] svg.marks text")]
    .filter(t => !t.closest("[opacity='0']") && getComputedStyle(t).opacity !== "0")
    .map(t => t.textContent)"""
# What the module reads of a page's charts: seen.charts[page id][part].
CHARTS_JS = {"aria": CHART_ARIA_JS, "names": CHART_NAMES_JS, "clipped": CHART_CLIPPED_JS, "texts": CHART_TEXTS_JS}
ENGLISH_CHART_WORDS = re.compile(r"\b(mark|container|axis|titled|scale|values|visualization|Title text|ending)\b", re.I)

# Texts Streamlit cuts with « … » (CSS text-overflow): a metric label lost its unit that way.
CUT_TEXT_JS = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.checkVisibility() && getComputedStyle(e).textOverflow === 'ellipsis'
        && e.scrollWidth > e.clientWidth + 1 && e.innerText.trim())
    .map(e => e.innerText.trim())"""

ICON_WORDS_JS = """() => [...document.querySelectorAll("[translate='no'][aria-hidden='true']")]
    .map(e => e.innerText.trim()).filter(Boolean)"""


@pytest.fixture(scope="module")
def server(rennes_db: Path):
    with streamlit_server(rennes_db) as base:
        yield base


@pytest.fixture(scope="module")
def browser_page():
    with chromium_page() as page:
        yield page


@pytest.fixture(scope="module")
def paths(rennes, one_school_commune) -> dict[str, str]:
    """The pages whose address depends on the warehouse: a one-school commune, that school."""
    (uai,) = rennes.execute("select uai from school where commune_code = ?", [one_school_commune]).fetchone()
    return {
        "diagnostic-petite-commune": f"/diagnostic?territoire=commune:{one_school_commune}",
        "diagnostic-etablissement": f"/diagnostic?territoire=etablissement:{uai}",
    }


@pytest.fixture(scope="module")
def seen(server, browser_page, paths):
    """page id → the text of the page as shown (each page is loaded once for the module);
    ``names[page id]``: its accessible names and placeholders."""
    texts: dict[str, str] = {}

    def read(name: str) -> str:
        if name not in texts:
            path, title = PAGES[name]
            path = path or paths[name]
            page = browser_page
            page.goto(server + path)
            page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=90_000)
            wait_until_settled(page)
            if name in UPLOADER_PAGES:
                assert page.locator("[data-testid='stFileUploader']").first.is_visible(), name
            icons = set(page.evaluate(ICON_WORDS_JS))
            lines = [line.strip() for line in page.evaluate("() => document.body.innerText").splitlines()]
            texts[name] = "\n".join(line for line in lines if line and line not in icons)
            read.names[name] = page.evaluate(NAMES_JS)
            read.cut[name] = page.evaluate(CUT_TEXT_JS)
            read.charts[name] = {part: page.evaluate(js) for part, js in CHARTS_JS.items()}
        return texts[name]

    read.names = {}  # type: ignore[attr-defined]
    read.cut = {}  # type: ignore[attr-defined]
    read.charts = {}  # type: ignore[attr-defined]
    return read


def occurrences(text: str, word: str) -> list[str]:
    """The lines of ``text`` where ``word`` appears as a whole word (case-sensitive)."""
    pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")
    return [line for line in text.splitlines() if pattern.search(line)]


@pytest.mark.parametrize("name", PAGES)
def test_no_english_chrome_no_server_path_no_traceback(seen, browser_page, name):
    text = seen(name)
    assert PAGES[name][1] in text
    assert "Données simulées" in text
    english = {word: occurrences(text, word) for word in ENGLISH_CHROME}
    assert {w: lines for w, lines in english.items() if lines} == {}
    assert [p for p in SERVER_PATHS if p in text] == []
    assert [t for t in TRACEBACK if t in text] == []
    assert browser_page.evaluate("() => document.documentElement.lang") == "fr"


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, raises=AssertionError, reason=RAW_CODES_SEEN[name]))
        if name in RAW_CODES_SEEN
        else name
        for name in PAGES
    ],
)
def test_no_raw_codes_in_the_text(seen, name):
    text = seen(name)
    found = {what: pattern.findall(text) for what, pattern in RAW_CODES.items()}
    assert {what: hits for what, hits in found.items() if hits} == {}


@pytest.mark.parametrize("name", PAGES)
def test_accessible_names_and_placeholders_are_french(seen, name):
    seen(name)
    names = seen.names[name]
    assert len(names) >= 3  # the sidebar, its pages, the search or a widget: not vacuous
    english = [n for n in names if any(word in n for word in ENGLISH_NAMES) or n in ENGLISH_WHOLE_NAMES]
    assert english == []
    assert "Menu latéral" in names and "Pages de l'application" in names


@pytest.mark.parametrize("name", PAGES)
def test_no_text_is_cut_with_an_ellipsis(seen, name):
    seen(name)
    assert seen.cut[name] == []


def test_the_map_is_named_in_french(seen):
    seen("carte-ille-et-vilaine")
    names = seen.names["carte-ille-et-vilaine"]
    assert "Carte" in names  # deck.gl's canvas
    assert {"Zoom avant", "Zoom arrière"} <= set(names)
    assert (
        "Carte « Investissement par élève et par an — Ille-et-Vilaine, 2021-2025 », en € par élève et par an. "
        "Les valeurs sont dans le classement sous la carte."
    ) in names


# Pages that draw at least one chart on the test warehouse (their names are checked one by one).
CHART_PAGES = [
    "diagnostic-departement",
    "diagnostic-commune",
    "diagnostic-petite-commune",
    "diagnostic-etablissement",
    "comparer",
    "donnees",
    "typologie",
    "investissement-usage",
    "prospective",
]


@pytest.mark.parametrize("name", PAGES)
def test_charts_are_described_in_french(seen, name):
    seen(name)
    names = seen.charts[name]["names"]
    if name in CHART_PAGES:
        assert names, f"{name} : aucun graphique"
    # each chart says what it shows (not Streamlit's bare « Graphique »), where its figures are
    assert [
        n for n in names if not (n and n.startswith(("Courbe", "Barres", "Nuage", "Flèches", "Effet", "Étude")))
    ] == []
    assert all("chiffres" in n or "écarts" in n.lower() for n in names), names
    english = [n for n in seen.charts[name]["aria"] if ENGLISH_CHART_WORDS.search(n)]
    assert english == []


@pytest.mark.parametrize("name", CHART_PAGES)
def test_no_chart_text_is_cut(seen, name):
    seen(name)
    assert seen.charts[name]["names"]  # the page drew its charts: the check below is not vacuous
    assert seen.charts[name]["clipped"] == []


def test_the_effects_chart_names_every_departement(seen):
    """With four départements the chart was a 15 px strip: Vega hid the names that overlapped."""
    seen("investissement-usage")
    texts = seen.charts["investissement-usage"]["texts"]
    assert {"Côtes-d'Armor", "Finistère", "Ille-et-Vilaine", "Morbihan"} <= set(texts)
