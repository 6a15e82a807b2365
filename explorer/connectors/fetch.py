"""``fetch``: download a dataset through the Opendatasoft API v2.1 of its portal, then stage it.

The export (``{portal}/{dataset_id}/exports/csv?delimiter=;``) is streamed to disk in chunks
with a progress bar on stderr, into a cache keyed by the SHA-256 of the URL and its sorted
parameters. Each cache entry is ``<dataset_id>-<key>.<format>`` plus a JSON sidecar (url,
params, size, content SHA-256, rows, fetched_at); an entry whose content does not match its
sidecar is refetched. Connection errors, timeouts, HTTP 429 and 5xx are retried with
exponential back-off; a download cut mid-body resumes with an HTTP ``Range`` request when the
server announced ``Accept-Ranges: bytes`` and a length, and restarts from zero otherwise. The
file being written is ``*.part`` and never counts as a cache hit.

Before anything is staged, the number of data rows in the file must equal the API's
``total_count`` for the same ``where`` (``/records?limit=0``); then the file goes through
:func:`explorer.connectors.store.load_file`, exactly as ``load`` does.

``requests`` is used rather than ``urllib``: it is already installed (Streamlit depends on it),
streams with ``iter_content``, distinguishes connect/read timeouts and reports a body cut
short (``ChunkedEncodingError``) instead of returning a silently short file.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import requests
from tqdm import tqdm

from explorer.connectors.base import PORTALS, Connector
from explorer.connectors.store import LoadResult, file_sha256, load_file
from explorer.errors import FetchError, RetryableFetchError

DEFAULT_CACHE = Path("data/cache")
_RETRY_STATUS = {429, 500, 502, 503, 504}
_SIDECAR_KEYS = {"url", "params", "size", "sha256", "rows", "fetched_at"}


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: ``attempts`` tries, waiting ``base_delay × 2**n`` seconds between them."""

    attempts: int = 4
    base_delay: float = 0.5
    timeout: float = 60.0
    max_delay: float = 60.0
    chunk: int = 256 * 1024  # bytes written per read; a cut loses at most the chunk in flight

    def delay(self, attempt: int, retry_after: str | None = None) -> float:
        wait = self.base_delay * 2**attempt
        if retry_after and retry_after.strip().isdigit():
            wait = max(wait, float(retry_after))
        return min(wait, self.max_delay)


@dataclass(frozen=True)
class CacheEntry:
    """A verified file in the cache and its sidecar."""

    path: Path
    meta: dict[str, Any]


def export_format(connector: Connector) -> str:
    """``csv`` unless the connector's ``export_params`` name another Opendatasoft export format."""
    return str(connector.export_params.get("format", "csv"))


def export_request(connector: Connector, where: str | None, base_url: str | None) -> tuple[str, dict[str, str]]:
    """URL and query parameters of the dataset's export on its portal (or on ``base_url``)."""
    if connector.portal is None:
        raise FetchError(
            f"« {connector.dataset_id} » : ce jeu n'est pas publié sur un portail Opendatasoft : "
            "téléchargez le fichier puis utilisez « load »."
        )
    base = (base_url or PORTALS[connector.portal]).rstrip("/")
    fmt = export_format(connector)
    params = {k: str(v) for k, v in connector.export_params.items() if k != "format"}
    if fmt == "csv":
        params.setdefault("delimiter", ";")
    if where:
        params["where"] = where
    return f"{base}/{connector.dataset_id}/exports/{fmt}", params


def cache_key(url: str, params: dict[str, str]) -> str:
    """SHA-256 of the URL and its parameters in sorted order."""
    return hashlib.sha256(f"{url}?{urlencode(sorted(params.items()))}".encode()).hexdigest()


def count_rows(path: Path, fmt: str = "csv") -> int:
    """Data rows of an export: CSV records after the header (quoted newlines count once)."""
    if fmt == "csv":
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
            header = fh.readline()
            delimiter = max(";,\t|", key=header.count)
            fh.seek(0)
            return max(sum(1 for record in csv.reader(fh, delimiter=delimiter) if record) - 1, 0)
    if fmt in ("geojson", "json"):
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        return len(data.get("features", [])) if isinstance(data, dict) else len(data)
    if fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        try:
            rows = book.worksheets[0].iter_rows(values_only=True)
            return max(sum(1 for row in rows if any(v is not None for v in row)) - 1, 0)
        finally:
            book.close()
    raise FetchError(f"format d'export « {fmt} » non pris en charge.")


def _cache_paths(cache_dir: Path, connector: Connector, key: str) -> tuple[Path, Path]:
    data = cache_dir / f"{connector.dataset_id}-{key[:24]}.{export_format(connector)}"
    return data, data.with_name(data.name + ".json")


def cached(data: Path, sidecar: Path) -> CacheEntry | None:
    """The entry if its file matches its sidecar (size and SHA-256); ``None`` otherwise."""
    if not data.is_file() or not sidecar.is_file():
        return None
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or not meta.keys() >= _SIDECAR_KEYS:
        return None
    if data.stat().st_size != meta["size"] or file_sha256(data) != meta["sha256"]:
        return None
    return CacheEntry(data, meta)


def _discard(*paths: Path) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _http_error(response: requests.Response, url: str, where: str | None) -> FetchError:
    status = response.status_code
    detail = response.text[:300].strip() if response.content else ""
    if status == 404:
        text = f"jeu introuvable sur le portail (HTTP 404, {url}) : vérifiez l'identifiant du jeu ou --base-url."
    elif status == 400 and where:
        text = f"filtre --where « {where[:200]} » refusé par le portail (HTTP 400) : corrigez l'expression ODSQL."
    else:
        text = f"requête refusée par le portail (HTTP {status}, {url})."
    return FetchError(text + (f" Réponse du portail : {detail}" if detail else ""))


def _with_retries(policy: RetryPolicy, what: str, attempt_fn: Any) -> Any:
    last: Exception | None = None
    for attempt in range(policy.attempts):
        try:
            return attempt_fn()
        except RetryableFetchError as exc:
            last = exc
            retry_after = exc.retry_after
            if attempt + 1 < policy.attempts:
                time.sleep(policy.delay(attempt, retry_after))
    raise FetchError(
        f"{what} : échec après {policy.attempts} tentatives ({last}). "
        "Vérifiez la connexion au portail puis relancez la commande."
    )


def api_count(base: str, dataset_id: str, where: str | None, policy: RetryPolicy, session: requests.Session) -> int:
    """``total_count`` of ``/records?limit=0`` for ``where``: the rows the export must have."""
    url = f"{base.rstrip('/')}/{dataset_id}/records"
    params = {"limit": "0", **({"where": where} if where else {})}

    def attempt() -> int:
        try:
            response = session.get(url, params=params, timeout=policy.timeout)
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise RetryableFetchError(f"{type(exc).__name__}") from exc
        if response.status_code in _RETRY_STATUS:
            raise RetryableFetchError(f"HTTP {response.status_code}", response.headers.get("Retry-After"))
        if response.status_code >= 400:
            raise _http_error(response, url, where)
        try:
            return int(response.json()["total_count"])
        except (ValueError, KeyError, TypeError) as exc:
            raise FetchError(f"réponse inattendue du portail pour {url} : « total_count » absent.") from exc

    return int(_with_retries(policy, f"comptage des lignes de {dataset_id}", attempt))


def download(
    url: str, params: dict[str, str], part: Path, policy: RetryPolicy, session: requests.Session, label: str
) -> None:
    """Stream ``url`` into ``part``, resuming with ``Range`` after a cut when the server allows it."""
    part.parent.mkdir(parents=True, exist_ok=True)
    part.unlink(missing_ok=True)  # a .part left by an earlier, killed run: start clean
    state: dict[str, Any] = {"resumable": False, "total": None}

    def attempt() -> None:
        offset = part.stat().st_size if part.exists() else 0
        headers = {}
        if offset and state["resumable"]:
            headers["Range"] = f"bytes={offset}-"
        elif offset:
            part.unlink()
            offset = 0
        try:
            response = session.get(url, params=params, headers=headers, stream=True, timeout=policy.timeout)
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise RetryableFetchError(type(exc).__name__) from exc
        with response:
            if response.status_code in _RETRY_STATUS:
                raise RetryableFetchError(f"HTTP {response.status_code}", response.headers.get("Retry-After"))
            if response.status_code == 416 and offset:
                part.unlink()
                state["resumable"] = False
                raise RetryableFetchError("HTTP 416")
            if response.status_code >= 400:
                raise _http_error(response, url, params.get("where"))
            if response.status_code == 206 and offset:
                if not response.headers.get("Content-Range", "").startswith(f"bytes {offset}-"):
                    part.unlink()
                    state["resumable"] = False
                    raise RetryableFetchError("Content-Range inattendu")
                mode = "ab"
            else:  # 200: the whole body again
                offset, mode = 0, "wb"
                length = response.headers.get("Content-Length")
                state["total"] = int(length) if length and length.isdigit() else None
                ranges = response.headers.get("Accept-Ranges", "").lower()
                state["resumable"] = ranges == "bytes" and state["total"] is not None
            with (
                open(part, mode) as fh,
                tqdm(
                    total=state["total"],
                    initial=offset,
                    unit="o",
                    unit_scale=True,
                    desc=label,
                    file=sys.stderr,
                    leave=False,
                ) as bar,
            ):
                try:
                    for chunk in response.iter_content(policy.chunk):
                        fh.write(chunk)
                        bar.update(len(chunk))
                except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError) as exc:
                    raise RetryableFetchError(f"connexion interrompue après {fh.tell()} octets") from exc
        if state["total"] is not None and part.stat().st_size != state["total"]:
            raise RetryableFetchError(f"fichier incomplet ({part.stat().st_size} octets sur {state['total']})")

    _with_retries(policy, f"téléchargement de {label}", attempt)


def fetch(
    connector: Connector,
    where: str | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    base_url: str | None = None,
    policy: RetryPolicy | None = None,
) -> CacheEntry:
    """The verified export of ``connector`` for ``where``, from the cache or downloaded.

    Raises :class:`FetchError` (French) when the portal refuses, stays unreachable, or when the
    file's row count differs from the API's ``total_count``.
    """
    policy = policy or RetryPolicy()
    url, params = export_request(connector, where, base_url)
    base = url.rsplit("/", 3)[0]
    cache_dir = Path(cache_dir) if cache_dir is not None else DEFAULT_CACHE
    data, sidecar = _cache_paths(cache_dir, connector, cache_key(url, params))
    fmt = export_format(connector)
    with requests.Session() as session:
        session.headers["User-Agent"] = "explorer-fetch/1"
        expected = api_count(base, connector.dataset_id, where, policy, session)
        hit = cached(data, sidecar)
        if hit is not None and hit.meta["rows"] == expected:
            return hit
        _discard(data, sidecar)
        part = data.with_name(data.name + ".part")
        try:
            download(url, params, part, policy, session, connector.dataset_id)
            rows = count_rows(part, fmt)
        except BaseException:
            _discard(part)
            raise
    if rows != expected:
        _discard(part)
        raise FetchError(
            f"« {connector.dataset_id} » : le fichier téléchargé a {rows} lignes de données, l'API en annonce "
            f"{expected} (même filtre). Rien n'a été chargé ; relancez plus tard (jeu en cours de mise à jour ?)."
        )
    meta = {
        "url": url,
        "params": params,
        "size": part.stat().st_size,
        "sha256": file_sha256(part),
        "rows": rows,
        "fetched_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    os.replace(part, data)
    tmp = sidecar.with_name(sidecar.name + ".tmp")
    tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, sidecar)
    return CacheEntry(data, meta)


def fetch_and_load(
    db: str | os.PathLike[str],
    connector: Connector,
    where: str | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    base_url: str | None = None,
    policy: RetryPolicy | None = None,
) -> LoadResult:
    """Fetch ``connector``'s dataset (see :func:`fetch`) and stage it as ``load`` would."""
    entry = fetch(connector, where, cache_dir, base_url, policy)
    return load_file(db, connector, entry.path)
