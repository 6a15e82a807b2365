"""Connectors for the official datasets: one module per publisher's dataset (family).

:func:`get` returns the :class:`~explorer.connectors.base.Connector` of a dataset id;
:func:`all_connectors` lists them (the CLI's ``load``/``fetch`` and the Données page use it).
Modules are discovered: adding ``explorer/connectors/<name>.py`` with a ``CONNECTOR`` or a
``CONNECTORS`` list is enough.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from explorer.connectors.base import Connector
from explorer.errors import UnknownDatasetError

_INFRASTRUCTURE = {"base", "files", "store", "fetch", "reconcile"}


@cache
def all_connectors() -> dict[str, Connector]:
    """Every connector by dataset id, in id order."""
    found: dict[str, Connector] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name in _INFRASTRUCTURE or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        declared = list(getattr(module, "CONNECTORS", ()))
        if hasattr(module, "CONNECTOR"):
            declared.append(module.CONNECTOR)
        for connector in declared:
            if connector.dataset_id in found:
                raise RuntimeError(f"two connectors for {connector.dataset_id}")
            found[connector.dataset_id] = connector
    return dict(sorted(found.items()))


def get(dataset_id: str) -> Connector:
    """The connector of ``dataset_id``; :class:`UnknownDatasetError` lists the known ids."""
    connectors = all_connectors()
    key = dataset_id.strip()
    if key in connectors:
        return connectors[key]
    raise UnknownDatasetError(
        f"Jeu de données « {dataset_id[:80]} » inconnu. Jeux pris en charge : " + ", ".join(connectors) + "."
    )
