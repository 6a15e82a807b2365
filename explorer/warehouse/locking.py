"""One writer at a time per warehouse: builds, loads and budget imports take this lock."""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

from explorer.errors import WarehouseBusyError


@contextlib.contextmanager
def write_lock(db: Path) -> Iterator[None]:
    """Exclusive lock serialising the writers (builds, loads) of one warehouse."""
    db.parent.mkdir(parents=True, exist_ok=True)
    lock_path = db.with_name(db.name + ".lock")
    with open(lock_path, "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise WarehouseBusyError(
                f"L'entrepôt {db} est déjà en cours d'écriture par un autre processus ; réessayez quand il aura fini."
            ) from exc
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
