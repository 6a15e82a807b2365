"""Read a publisher's file the way it comes: CSV (``;`` or ``,``, BOM or not, UTF-8 or
Latin-1, decimal commas), Parquet or XLSX, with field-name or label headers.

Every cell is read as text; connectors convert the columns they use with
:func:`to_number` / :func:`to_int`, which report the line and column of a bad value.
Line numbers are the file's own (header = line 1), so a user can find them in a spreadsheet.
"""

from __future__ import annotations

import csv
import re
import unicodedata
import warnings
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from explorer.errors import SourceFileError

# Files above this size are refused: a national DNMA export is ~1 GB, so filter it with
# ``fetch --where`` or split it by académie first.
MAX_FILE_BYTES = 2_000_000_000
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
    if size > MAX_FILE_BYTES:
        raise SourceFileError(
            f"Fichier trop volumineux ({size / 1e9:.1f} Go, limite {MAX_FILE_BYTES / 1e9:.0f} Go) : "
            "filtrez-le (par exemple avec « fetch --where ») ou découpez-le.",
            file=path.name,
        )
    with open(path, "rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    if head.startswith(b"PAR1"):
        frame = _read_parquet(path)
    elif head.startswith(b"PK\x03\x04"):
        frame = _read_xlsx(path, sheet)
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
    return frame


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        n = seen.get(name, 0)
        out.append(name if n == 0 else f"{name}_{n + 1}")
        seen[name] = n + 1
    return out


def _encoding(path: Path, head: bytes) -> str:
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        with open(path, encoding="utf-8") as fh:
            while fh.read(1 << 20):
                pass
        return "utf-8"
    except UnicodeDecodeError:
        return "latin-1"


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
    encoding = _encoding(path, head)
    text_head = head.decode(encoding if encoding != "utf-8-sig" else "utf-8", errors="replace")
    first_line = text_head.lstrip("\ufeff").splitlines()[0] if text_head.strip() else ""
    try:
        sep = _separator(first_line)
    except SourceFileError as exc:
        exc.file = path.name
        raise
    try:
        # index_col=False: when the first data row has one field more than the header, pandas
        # would otherwise take the first column as the index and shift every column silently;
        # with it, pandas drops the extra field with a ParserWarning, made an error here.
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
                index_col=False,
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
    return _none_for_missing(frame)


def _none_for_missing(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.astype(object)
    return out.where(out.notna(), None).astype(object)


def _parser_line(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


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
    "normalise_header",
    "pick_columns",
    "read_table",
    "to_number",
]
