"""Excel evidence (openpyxl): one line of text per row, each row its own segment."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from grader.ingest.base import ReadError, TextBuilder
from grader.models import Document

Cell = str | int | float | bool | None


def _plain(value: object) -> Cell:
    """A JSON-safe cell value (dates as ISO text)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def sheet_rows(path: Path) -> dict[str, list[tuple[int, list[Cell]]]]:
    """Every non-empty row of every sheet: {sheet: [(1-based row number, cells)]}.

    A formula cell gives its last computed value; a file saved without computed values
    (written by a script) gives the formula text instead, so nothing is silently empty.
    """
    try:
        values = load_workbook(path, read_only=True, data_only=True)
        formulas = load_workbook(path, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ReadError(f"corrupt XLSX: not a readable Excel workbook ({exc or type(exc).__name__})") from None
    try:
        sheets: dict[str, list[tuple[int, list[Cell]]]] = {}
        for name in values.sheetnames:
            rows: list[tuple[int, list[Cell]]] = []
            pairs = zip(values[name].iter_rows(values_only=True), formulas[name].iter_rows(values_only=True))
            for number, (cached, written) in enumerate(pairs, start=1):
                cells = [_plain(c if c is not None else w) for c, w in zip(cached, written)]
                while cells and (cells[-1] is None or cells[-1] == ""):
                    cells.pop()
                if cells:
                    rows.append((number, cells))
            sheets[name] = rows
        return sheets
    finally:
        values.close()
        formulas.close()


def row_text(cells: list[Cell]) -> str:
    return " | ".join(str(c).strip() for c in cells if c is not None and str(c).strip())


def read_xlsx(path: Path, rel: str) -> Document:
    sheets = sheet_rows(path)
    built = TextBuilder(separator="\n")
    for name, rows in sheets.items():
        for number, cells in rows:
            built.add(row_text(cells), sheet=name, row=number)
    warnings = [] if built.segments else ["workbook contains no data"]
    data = {"sheets": {name: [cells for _, cells in rows] for name, rows in sheets.items()}}
    return Document(
        path=rel, kind="xlsx", text=built.text, segments=built.segments, warnings=warnings, data=data,
    )
