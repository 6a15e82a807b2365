"""Streamlit's own English words on screen, hidden or replaced by French, in one place.

Streamlit 1.67 has no setting for the language of its components. What a setting covers is in
``.streamlit/config.toml`` (``client.toolbarMode = "minimal"``: no « Print », « Record
screen », « Made with Streamlit » menu). The rest is this one style sheet, drawn on every page
by ``streamlit_app.py``; each rule says what it hides and what the page offers instead (one
more lets metric labels wrap rather than cut their unit off).
Elements hidden with ``display: none`` also leave the accessibility tree, so a screen reader
does not read their English labels either.

Words that must stay readable by a screen reader (a button needs a real text, not CSS
content: axe ``button-name``) are rewritten by :data:`SCRIPT`, which also declares the page
French (``<html lang="fr">``, RGAA 8.3). It only changes text nodes Streamlit never updates
(fixed strings of its components) and watches for them to be drawn again.
"""

from __future__ import annotations

import json

import streamlit as st

# The button of the file uploaders (« Upload »), worded in French by CSS generated content.
UPLOAD_BUTTON = "Choisir un fichier"
# Replaces « 200MB per file • CSV, XLSX »: the widget's French label gives the size and types.
UPLOAD_HINT = "ou glissez-le ici"

STYLE = f"""
<style>
/* Element toolbars of tables, charts and the map: « Download as CSV », « Search »,
   « Fullscreen », « Show/hide columns », « Show data », « Download as PNG », « Copy Vega-Lite
   spec », with English tooltips and labels. The pages give the same in French: « Données du
   graphique » under each chart, CSV/XLSX exports, sortable columns. The scenario editor keeps
   only its add/delete row buttons, which have no French equivalent on the page. */
[data-testid="stElementToolbar"]:not(:has(button[aria-label="Add row"])) {{
    display: none !important;
}}
[data-testid="stElementToolbar"] button:not([aria-label="Add row"]):not([aria-label^="Delete"]) {{
    display: none !important;
}}
/* The « Link to heading » anchor beside every title. */
[data-testid="stHeaderActionElements"] {{
    display: none !important;
}}
/* File uploaders: the English size line goes (the label says « 20 Mo au plus » and the
   accepted types); SCRIPT words the button. */
[data-testid="stFileUploaderDropzoneInstructions"] > div > span {{
    display: none !important;
}}
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {{
    content: "{UPLOAD_HINT}";
}}
/* Metric labels wrap instead of ending in « … »: a label holds its unit at the end
   (« Investissement par élève et par an (€ par élève et par an) »), and in a quarter of the
   page Streamlit cut it off, unit included. */
[data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"],
[data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"] p {{
    white-space: normal !important;
    overflow: visible !important;
    text-overflow: clip !important;
}}
/* The element that holds SCRIPT takes no room. */
[data-testid="stElementContainer"]:has(> [data-testid="stHtml"] script) {{
    display: none !important;
}}
</style>
"""

# Streamlit's fixed English accessible names (aria-label) and placeholders: attribute, regular
# expression (JavaScript), French replacement ($1: the captured label).
ATTRIBUTES = (
    ("aria-label", "^App pages$", "Pages de l'application"),
    ("aria-label", "^Sidebar$", "Menu latéral"),
    ("aria-label", "^Collapse sidebar$", "Replier le menu latéral"),
    ("aria-label", "^Expand sidebar$", "Déplier le menu latéral"),
    ("aria-label", "^Help for (.*)$", "Aide : $1"),
    ("aria-label", "^Open$", "Ouvrir la liste"),
    ("aria-label", "^Clear all$", "Tout effacer"),
    ("aria-label", "^(.*) — start$", "$1 — début"),
    ("aria-label", "^(.*) — end$", "$1 — fin"),
    ("aria-label", "^Vega visualization$", "Graphique"),
    # What Vega still writes on a chart once the theme turns its descriptions off
    # (explorer.charts.theme): the chart's kind and its root group, and a chart's title.
    ("aria-roledescription", "^visualization$", "graphique"),
    ("aria-roledescription", "^group mark container$", "groupe"),
    ("aria-roledescription", "^title$", "titre"),
    ("aria-label", "^Title text '(.*)'$", "Titre : $1"),
    # The map: deck.gl's canvas, its zoom buttons (their tooltip), the base map's logo.
    ("aria-label", "^Map$", "Carte"),
    ("aria-label", "^Fullscreen: (.*)$", "Plein écran : $1"),
    ("title", "^Zoom In$", "Zoom avant"),
    ("title", "^Zoom Out$", "Zoom arrière"),
    ("aria-label", "^Mapbox logo$", "Logo Mapbox"),
    # The file uploader's input (Données, Prospective).
    ("aria-label", "^file upload$", "Déposer un fichier"),
    ("placeholder", "^Choose an option$", "Choisissez une option"),
    ("placeholder", "^Choose options$", "Choisissez des options"),
)
ATTRIBUTE_RULES = json.dumps([list(rule) for rule in ATTRIBUTES], ensure_ascii=False)

# Once per browser tab: French page language, and French text in Streamlit's fixed strings.
SKIP_LINK = "Aller au contenu principal"
SCRIPT = f"""
<script>
(() => {{
  if (window.__frenchChrome) return;
  window.__frenchChrome = true;
  const words = [
    ['[data-testid="stSkipToContent"]', "{SKIP_LINK}"],
    ['[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p', "{UPLOAD_BUTTON}"],
  ];
  // Streamlit's English accessible names and placeholders (read by screen readers, or shown
  // in an empty select box), each rewritten in French.
  const attributes = {ATTRIBUTE_RULES};
  const apply = () => {{
    if (document.documentElement.lang !== "fr") document.documentElement.lang = "fr";
    for (const [selector, text] of words) {{
      for (const node of document.querySelectorAll(selector)) {{
        if (node.textContent !== text) node.textContent = text;
      }}
    }}
    for (const [attribute, pattern, replacement] of attributes) {{
      const expression = new RegExp(pattern);
      for (const node of document.querySelectorAll(`[${{attribute}}]`)) {{
        const value = node.getAttribute(attribute);
        if (expression.test(value)) node.setAttribute(attribute, value.replace(expression, replacement));
      }}
    }}
  }};
  apply();
  new MutationObserver(apply).observe(document.body, {{
    childList: true, subtree: true, attributes: true,
    attributeFilter: ["aria-label", "aria-roledescription", "placeholder", "title"],
  }});
}})();
</script>
"""


def french_chrome() -> None:
    """Apply :data:`STYLE` and :data:`SCRIPT` to the page (neither takes room on screen)."""
    st.html(STYLE)
    st.sidebar.html(SCRIPT, unsafe_allow_javascript=True)
