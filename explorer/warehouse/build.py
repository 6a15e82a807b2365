"""Build a warehouse: stage a source, run the marts, swap the new file in.

The build writes ``<db>.building`` next to the target and replaces the target only once
every step succeeded (``os.replace`` is atomic on one file system): an interrupted or failed
build leaves the previous warehouse untouched. A lock file serialises concurrent builds.
What is staged comes from :mod:`explorer.warehouse.build_demo` (simulated) or
:mod:`explorer.warehouse.build_real` (what ``load``/``fetch`` staged).
"""

from __future__ import annotations

import os
from pathlib import Path

from explorer import demo
from explorer.connectors.store import require_store
from explorer.errors import ScopeError
from explorer.warehouse.build_demo import DEFAULT_SEED, build_demo_into
from explorer.warehouse.build_real import build_real_into
from explorer.warehouse.locking import write_lock
from explorer.warehouse.marts import Progress, mart_counts
from explorer.warehouse.scope import Scope


def build(
    db: Path,
    source: str = "demo",
    scope: Scope | None = None,
    seed: int = DEFAULT_SEED,
    progress: Progress = lambda _: None,
    effects: str = "demo",
) -> dict[str, int]:
    """Build the warehouse ``db`` from ``source`` and return the mart row counts.

    Parameters
    ----------
    db : target file; replaced atomically at the end.
    source : ``"demo"`` (simulated schools, spending and usage over the real geography) or
        ``"real"`` (what ``load``/``fetch`` staged next to ``db``; see :mod:`explorer.warehouse.build_real`).
    scope : national (default) or one académie.
    seed : seed of the demo generator; the same seed gives identical tables.
    effects : ``"demo"`` (the simulated investment and programme effects) or ``"none"`` (the
        null world: same draws, no effect), recorded in ``build_info``; demo source only.
    """
    if effects not in demo.EFFECTS:
        raise ScopeError(
            f"Réglage des effets « {effects} » inconnu : « demo » (effets simulés) ou « none » (aucun effet)."
        )
    if source not in ("demo", "real"):
        raise ScopeError(f"Source « {source} » inconnue : « demo » (données simulées) ou « real » (jeux chargés).")
    scope = scope or Scope("national")
    db = Path(db)
    store = require_store(db) if source == "real" else None
    tmp = db.with_name(db.name + ".building")
    with write_lock(db):
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)
        try:
            if store is not None:
                build_real_into(tmp, store, scope, progress)
                counts = mart_counts(tmp)
            else:
                counts = build_demo_into(tmp, scope, seed, progress, effects)
            os.replace(tmp, db)
        finally:
            for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
                leftover.unlink(missing_ok=True)
    progress(f"Entrepôt prêt : {db} ({db.stat().st_size / 1e6:,.0f} Mo)")
    return counts
