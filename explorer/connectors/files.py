"""Read a publisher's file the way it comes: CSV (``;`` or ``,``, BOM or not, UTF-8 or
Latin-1, decimal commas), Parquet, XLSX or GeoJSON, with field-name or label headers.

Every cell is read as text; connectors convert the columns they use with
:func:`to_number` / :func:`to_int`, which report the line and column of a bad value.
Line numbers are the file's own (header = line 1), so a user can find them in a spreadsheet.
A GeoJSON FeatureCollection becomes one row per feature (its properties, as text, plus a
``geometry_wkb`` column of WKB bytes); there the "line" of a message is the feature's number
(1 = first feature).
"""

from __future__ import annotations

import codecs
import csv
import json
import os
import re
import unicodedata
import warnings
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from explorer.errors import SourceFileError

# Files above this size are refused: a national DNMA export is ~1 GB, so filter it with
# ``fetch --where`` or split it by académie first. ``EXPLORER_MAX_FILE_BYTES`` overrides it
# (a shared server may want a lower limit; the tests use one).
MAX_FILE_BYTES = 2_000_000_000


def max_file_bytes() -> int:
    """The size limit in force: ``$EXPLORER_MAX_FILE_BYTES`` when set, else :data:`MAX_FILE_BYTES`."""
    value = os.environ.get("EXPLORER_MAX_FILE_BYTES", "").strip()
    return int(value) if value.isdigit() else MAX_FILE_BYTES


_SNIFF_BYTES = 64 * 1024


def normalise_header(name: object) -> str:
    """``"Numéro de l'école"`` → ``"numero_de_l_ecole"``: field names and labels meet here."""
    text = unicodedata.normalize("NFKD", str(name).replace("\ufeff", ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def read_table(path: str | Path, sheet: str | int | None = None) -> pd.DataFrame:
    """All cells of ``path`` as strings (empty cells → ``None``), headers normalised.

    Raises :class:`SourceFileError` (French message) for an empty, truncated, binary or
    unreadable file.
    """
    path = Path(path)
    if not path.is_file():
        raise SourceFileError(f"Fichier introuvable : {path.name}.", file=path.name)
    size = path.stat().st_size
    if size == 0:
        raise SourceFileError("Le fichier est vide.", file=path.name)
    limit = max_file_bytes()
    if size > limit:
        raise SourceFileError(
            f"Fichier trop volumineux ({_size_text(size)}, limite {_size_text(limit)}) : "
            "filtrez-le (par exemple avec « fetch --where ») ou découpez-le.",
            file=path.name,
        )
    with open(path, "rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    if head.startswith(b"PAR1"):
        frame = _read_parquet(path)
    elif head.startswith(b"PK\x03\x04"):
        frame = _read_xlsx(path, sheet)
    elif head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        frame = _read_geojson(path)
    elif b"\x00" in head:
        raise SourceFileError(
            "Fichier binaire non reconnu : attendu un CSV, un Parquet ou un classeur XLSX.", file=path.name
        )
    else:
        frame = _read_csv(path, head)
    frame.columns = _unique([normalise_header(c) for c in frame.columns])
    frame = frame.dropna(how="all")
    if frame.empty:
        raise SourceFileError("Le fichier n'a aucune ligne de données (seulement un en-tête).", file=path.name)
    _refuse_duplicates(frame, path.name)
    return frame


def _size_text(n: int) -> str:
    """``2_000_000_000`` → ``"2,0 Go"``, ``250_000`` → ``"250 ko"`` (French decimal comma)."""
    if n >= 1e9:
        return f"{n / 1e9:.1f} Go".replace(".", ",")
    if n >= 1e6:
        return f"{n / 1e6:.1f} Mo".replace(".", ",")
    return f"{n / 1e3:.0f} ko" if n >= 1e3 else f"{n} octets"


def _refuse_duplicates(frame: pd.DataFrame, file: str) -> None:
    """Identical lines mean an export copied or concatenated twice: their rows would count twice."""
    repeated = frame.duplicated(keep="first")
    if repeated.any():
        idx = repeated.idxmax()
        twins = frame[frame.duplicated(keep=False)]
        first = next(i for i in twins.index if twins.loc[i].equals(frame.loc[idx]))
        raise SourceFileError(
            f"ligne identique à la ligne {int(first) + 2} ({int(repeated.sum())} ligne(s) en double) : "
            "l'export a-t-il été copié ou concaténé deux fois ? Supprimez les doublons puis relancez.",
            file=file,
            line=int(idx) + 2,
        )


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        n = seen.get(name, 0)
        out.append(name if n == 0 else f"{name}_{n + 1}")
        seen[name] = n + 1
    return out


def _encoding(path: Path, head: bytes) -> str:
    """``utf-8-sig`` (BOM), ``utf-8``, else ``cp1252`` (Excel on Windows: ’ œ €), else ``latin-1``.

    A BOM followed by bytes that are not UTF-8 is refused with the first bad line.
    """
    bom = head.startswith(b"\xef\xbb\xbf")
    line = _first_non_utf8_line(path)
    if line is None:
        return "utf-8-sig" if bom else "utf-8"
    if bom:
        raise SourceFileError(
            "le fichier se déclare UTF-8 (marque BOM en tête) mais cette ligne contient des caractères "
            "dans un autre encodage (Latin-1/Windows ?) : réenregistrez-le en « CSV UTF-8 » puis relancez.",
            file=path.name,
            line=line,
        )
    try:
        with open(path, encoding="cp1252") as fh:
            while fh.read(1 << 20):
                pass
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def _first_non_utf8_line(path: Path) -> int | None:
    """Line of the first byte sequence that is not UTF-8, ``None`` for a UTF-8 file."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        return None
    except UnicodeDecodeError:
        pass
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return None


def _separator(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (";", ",", "\t", "|")}
    sep, n = max(counts.items(), key=lambda kv: kv[1])
    if n == 0:
        raise SourceFileError(
            "Séparateur de colonnes introuvable dans l'en-tête (attendu « ; » ou « , ») : "
            "le fichier n'a qu'une colonne ou n'est pas un CSV.",
            line=1,
        )
    return sep


def _read_csv(path: Path, head: bytes) -> pd.DataFrame:
    try:
        encoding = _encoding(path, head)
    except SourceFileError as exc:
        exc.file = path.name
        raise
    text_head = head.decode(encoding if encoding != "utf-8-sig" else "utf-8", errors="replace")
    first_line = text_head.lstrip("\ufeff").splitlines()[0] if text_head.strip() else ""
    try:
        sep = _separator(first_line)
    except SourceFileError as exc:
        exc.file = path.name
        raise
    try:
        # A first data row with one field more than the header makes pandas take the first
        # column as an implicit index (refused below); a ParserWarning is made an error too.
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(
                path,
                sep=sep,
                dtype=str,
                encoding=encoding,
                keep_default_na=False,
                na_values=[""],
                quoting=csv.QUOTE_MINIMAL,
                on_bad_lines="error",
                engine="c",
            )
    except pd.errors.ParserWarning as exc:
        raise SourceFileError(
            "ligne mal formée : plus de colonnes que l'en-tête (séparateur « "
            f"{sep} » dans une valeur non entourée de guillemets, ou virgule décimale dans un CSV à virgules ?).",
            file=path.name,
            line=2,
        ) from exc
    except pd.errors.ParserError as exc:
        line = _parser_line(str(exc))
        raise SourceFileError(
            f"ligne mal formée (nombre de colonnes différent de l'en-tête ou guillemet non fermé) : {exc}",
            file=path.name,
            line=line,
        ) from exc
    except pd.errors.EmptyDataError as exc:
        raise SourceFileError("Le fichier est vide.", file=path.name) from exc
    if not isinstance(frame.index, pd.RangeIndex):
        # pandas turns a first column too many into an "implicit index": shifted columns, refuse
        raise SourceFileError(
            f"ligne mal formée : {len(frame.columns) + 1} colonnes pour {len(frame.columns)} dans l'en-tête "
            f"(séparateur « {sep} » présent dans des valeurs non entourées de guillemets ?).",
            file=path.name,
            line=2,
        )
    _refuse_cut_last_line(path, encoding, sep, len(frame.columns), len(frame) + 1)
    return _none_for_missing(frame)


def _refuse_cut_last_line(path: Path, encoding: str, sep: str, width: int, last_line: int) -> None:
    """A file cut mid-line (no final newline, last line short of fields) is a truncated download."""
    with open(path, "rb") as fh:
        fh.seek(max(path.stat().st_size - _SNIFF_BYTES, 0))
        tail = fh.read()
    if tail.endswith((b"\n", b"\r")):
        return
    text = tail.decode(encoding if encoding != "utf-8-sig" else "utf-8", errors="replace")
    fields = next(csv.reader([text.splitlines()[-1]], delimiter=sep), [])
    if len(fields) < width:
        raise SourceFileError(
            f"fichier tronqué : la dernière ligne s'arrête après {len(fields)} colonne(s) sur {width} "
            "(téléchargement ou copie interrompu). Récupérez le fichier complet puis relancez.",
            file=path.name,
            line=last_line,
        )


def _none_for_missing(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.astype(object)
    return out.where(out.notna(), None).astype(object)


def _parser_line(message: str) -> int | None:
    """pandas says ``line N`` (1-based) or, for an unclosed quote, ``row N`` (0-based, header = 0)."""
    match = re.search(r"line (\d+)", message)
    if match:
        return int(match.group(1))
    match = re.search(r"starting at row (\d+)", message)
    return int(match.group(1)) + 1 if match else None


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several unrelated types for a broken file
        raise SourceFileError(f"Parquet illisible (fichier tronqué ou corrompu) : {exc}", file=path.name) from exc
    return _as_text(frame)


def _read_xlsx(path: Path, sheet: str | int | None) -> pd.DataFrame:
    try:
        frame = pd.read_excel(path, sheet_name=sheet if sheet is not None else 0, dtype=str, engine="openpyxl")
    except Exception as exc:  # openpyxl: BadZipFile, KeyError, ValueError…
        raise SourceFileError(f"Classeur XLSX illisible (tronqué ou corrompu) : {exc}", file=path.name) from exc
    return _as_text(frame)


def _read_geojson(path: Path) -> pd.DataFrame:
    """A FeatureCollection → properties as text + ``geometry_wkb`` (bytes, ``None`` without geometry)."""
    from shapely.geometry import shape  # only GeoJSON needs shapely

    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise SourceFileError(f"JSON illisible (fichier tronqué ou mal encodé) : {exc}", file=path.name) from exc
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(features, list):
        raise SourceFileError(
            "JSON non reconnu : attendu une FeatureCollection GeoJSON (export « GeoJSON » du portail).",
            file=path.name,
        )
    records = []
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        row: dict[str, object] = {
            key: _text(json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value)
            for key, value in (properties or {}).items()
            if value is not None
        }
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        try:
            row["geometry_wkb"] = shape(geometry).wkb if geometry else None
        except Exception as exc:  # shapely raises GeometryTypeError, ValueError, KeyError, TypeError…
            raise SourceFileError(
                f"géométrie illisible de l'entité n° {number} : {exc}", file=path.name, line=number
            ) from exc
        records.append(row)
    frame = pd.DataFrame.from_records(records).astype(object)
    frame = frame.where(frame.notna(), None)
    frame.index = pd.RangeIndex(-1, len(frame) - 1)  # file_lines() → feature number
    return frame


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.astype(object).where(frame.notna(), None)
    for column in out.columns:
        out[column] = out[column].map(lambda v: None if v is None else _text(v))
    return out


def _text(value: object) -> str | None:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def pick_columns(
    frame: pd.DataFrame, aliases: Mapping[str, tuple[str, ...]], required: tuple[str, ...], file: str = ""
) -> pd.DataFrame:
    """Rename the first header found among each column's aliases to its canonical name.

    ``aliases`` maps a canonical name to accepted (normalised) headers, field names and
    labels alike. A required column absent under every alias raises
    :class:`SourceFileError` listing what was expected.
    """
    found: dict[str, str] = {}
    for canonical, names in aliases.items():
        for name in (canonical, *names):
            key = normalise_header(name)
            if key in frame.columns:
                found[canonical] = key
                break
    missing = [c for c in required if c not in found]
    if missing:
        expected = " ou ".join(f"« {n} »" for n in (missing[0], *aliases.get(missing[0], ()))[:4])
        raise SourceFileError(
            f"colonne obligatoire absente : {expected}. Colonnes du fichier : "
            + ", ".join(list(frame.columns)[:12])
            + ("…" if len(frame.columns) > 12 else "")
            + ". Vérifiez que le fichier est bien le jeu attendu.",
            file=file,
            column=missing[0],
            line=1,
        )
    out = pd.DataFrame({canonical: frame[header] for canonical, header in found.items()})
    for canonical in aliases:
        if canonical not in out.columns:
            out[canonical] = None
    out.index = frame.index
    return out


def file_lines(frame: pd.DataFrame) -> pd.Series:
    """Line number in the source file of each row (header is line 1)."""
    return pd.Series(frame.index + 2, index=frame.index)


def _number_text(value: object) -> str:
    """``"1 234,5"`` → ``"1234.5"``; empty or missing → ``""``."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value).replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    return text


def to_number(frame: pd.DataFrame, column: str, file: str = "", *, allow_empty: bool = True) -> pd.Series:
    """Numbers from French or English notation (``1 234,5``, ``1234.5``, ``1,5e3``).

    Raises :class:`SourceFileError` naming the first line and the value that is not a number.
    """
    raw = frame[column]
    text = raw.map(_number_text).astype(object)
    numbers = pd.to_numeric(text, errors="coerce")
    bad = numbers.isna() & text.map(bool)
    if bad.any():
        idx = bad.idxmax()
        raise SourceFileError(
            f"valeur « {str(raw[idx])[:60]} » : nombre attendu ({int(bad.sum())} ligne(s) concernée(s)).",
            file=file,
            column=column,
            line=int(idx) + 2,
        )
    if not allow_empty and numbers.isna().any():
        idx = numbers.isna().idxmax()
        raise SourceFileError(
            "valeur manquante : un nombre est obligatoire.", file=file, column=column, line=int(idx) + 2
        )
    return numbers.astype("Float64")


__all__ = [
    "MAX_FILE_BYTES",
    "file_lines",
    "max_file_bytes",
    "normalise_header",
    "pick_columns",
    "read_table",
    "to_number",
]
