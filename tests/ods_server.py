"""A small real HTTP server speaking the part of the Opendatasoft API v2.1 that ``fetch`` uses.

It serves ``tests/data/connectors/<dataset_id>.<csv|xlsx|geojson>`` at
``/api/explore/v2.1/catalog/datasets/<dataset_id>/exports/<format>`` (``Range`` supported,
``Accept-Ranges: bytes``) and ``…/<dataset_id>/records?limit=0`` (``total_count``). A ``where``
of the form ``field = 'value' [and field2 = "value2"…]`` filters CSV rows on the normalised
header, as the portal would. Tests script failures per endpoint (``faults``) and read the
requests it received (``requests``). It listens on 127.0.0.1 only.
"""

from __future__ import annotations

import csv
import io
import json
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).parent / "data" / "connectors"
PREFIX = "/api/explore/v2.1/catalog/datasets/"
_CONDITION = re.compile(r"""^\s*([A-Za-z0-9_]+)\s*=\s*(?:'([^']*)'|"([^"]*)"|([^\s'"]+))\s*$""")


@dataclass
class Seen:
    kind: str  # 'records' | 'export'
    dataset_id: str
    params: dict[str, str]
    headers: dict[str, str]


@dataclass
class State:
    """What the tests script and observe."""

    faults: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    count_offset: int = 0
    requests: list[Seen] = field(default_factory=list)
    no_ranges: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, kind: str) -> int:
        return sum(1 for r in self.requests if r.kind == kind)


def _header_key(name: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKD", name.replace("\ufeff", ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def parse_where(where: str) -> list[tuple[str, str]]:
    """``a='x' and b=2`` → ``[("a", "x"), ("b", "2")]``; anything else is a 400 as on the portal."""
    out = []
    for part in re.split(r"\s+and\s+", where.strip(), flags=re.IGNORECASE):
        match = _CONDITION.match(part)
        if not match:
            raise ValueError(part)
        out.append((match.group(1).lower(), next(g for g in match.groups()[1:] if g is not None)))
    return out


def csv_body(path: Path, where: str | None) -> tuple[bytes, int]:
    """The CSV export of ``path`` filtered by ``where`` and its number of data rows."""
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        encoding = "utf-8-sig"
        text = raw.decode(encoding)
    except UnicodeDecodeError:  # some publishers (DGFiP balances) export Latin-1
        encoding = "latin-1"
        text = raw.decode(encoding)
    delimiter = max(";,", key=text.splitlines()[0].count)
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header, rows = records[0], [r for r in records[1:] if r]
    if not where:
        return raw, len(rows)
    keys = [_header_key(h) for h in header]
    conditions = parse_where(where)
    kept = [r for r in rows if all(k in keys and r[keys.index(k)] == v for k, v in conditions)]
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(kept)
    body = out.getvalue().encode("utf-8" if encoding == "utf-8-sig" else encoding)
    return (b"\xef\xbb\xbf" if bom else b"") + body, len(kept)


def fixture_rows(path: Path) -> int:
    """Data rows of a fixture, counted independently of the code under test."""
    if path.suffix == ".csv":
        return csv_body(path, None)[1]
    if path.suffix == ".geojson":
        return len(json.loads(path.read_text(encoding="utf-8"))["features"])
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    n = sum(1 for row in book.worksheets[0].iter_rows(values_only=True) if any(v is not None for v in row))
    book.close()
    return n - 1


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        params = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        if not parts.path.startswith(PREFIX):
            self._send(404, b'{"error_code": "NotFound"}')
            return
        rest = parts.path[len(PREFIX) :].split("/")
        state = self.server.state
        if len(rest) == 2 and rest[1] == "records":
            kind, dataset_id, fmt = "records", rest[0], None
        elif len(rest) == 3 and rest[1] == "exports":
            kind, dataset_id, fmt = "export", rest[0], rest[2]
        else:
            self._send(404, b'{"error_code": "NotFound"}')
            return
        with state.lock:
            state.requests.append(Seen(kind, dataset_id, params, dict(self.headers.items())))
            faults = state.faults.get(kind)
            fault = faults.pop(0) if faults else None
        if fault and fault.isdigit():
            self._send(int(fault), b'{"error_code": "Scripted"}', {"Retry-After": "0"})
            return
        path = self._fixture(dataset_id, fmt)
        if path is None:
            self._send(404, b'{"error_code": "DatasetNotFound"}')
            return
        try:
            if path.suffix == ".csv":
                body, rows = csv_body(path, params.get("where"))
            else:
                body, rows = path.read_bytes(), fixture_rows(path)
        except ValueError:
            self._send(400, b'{"error_code": "ODSQLError", "message": "Invalid where"}')
            return
        if kind == "records":
            payload = {"total_count": rows + state.count_offset, "results": []}
            self._send(200, json.dumps(payload).encode())
            return
        self._export(body, fault)

    def _fixture(self, dataset_id: str, fmt: str | None) -> Path | None:
        for ext in [fmt] if fmt else ["csv", "xlsx", "geojson"]:
            path = FIXTURES / f"{dataset_id}.{ext}"
            if re.fullmatch(r"[A-Za-z0-9_.-]+", dataset_id) and path.is_file():
                return path
        return None

    def _export(self, body: bytes, fault: str | None) -> None:
        start = 0
        match = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range", ""))
        ranges = not self.server.state.no_ranges
        if match and ranges and int(match.group(1)) < len(body):
            start = int(match.group(1))
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
        else:
            self.send_response(200)
        self.send_header("Content-Type", "text/csv; charset=utf-8")
        self.send_header("Content-Length", str(len(body) - start))
        if ranges:
            self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        if fault == "drop":  # send part of the body, then cut the connection
            self.wfile.write(body[start : start + max((len(body) - start) // 2, 1)])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body[start:])

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: State


class OdsServer:
    """Context manager: ``with OdsServer() as ods: fetch(..., base_url=ods.base_url)``."""

    def __init__(self) -> None:
        self.state = State()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.state = self.state
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{PREFIX.rstrip('/')}"

    def __enter__(self) -> OdsServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
