"""Print the Markdown table of docs/connectors.md from the connector registry (kept in sync by a test)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from explorer.connectors import all_connectors

PORTALS = {"education": "data.education.gouv.fr", "ofgl": "data.ofgl.fr", "economie": "data.economie.gouv.fr"}


def table() -> str:
    lines = ["| jeu (identifiant de l'éditeur) | tables écrites | portail (`fetch`) | contenu |", "|---|---|---|---|"]
    for dataset_id, c in all_connectors().items():
        portal = PORTALS.get(c.portal or "", "fichier seulement (`load`)")
        lines.append(f"| `{dataset_id}` | {', '.join(f'`{t}`' for t in c.tables)} | {portal} | {c.label} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table())
