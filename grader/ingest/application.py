"""Load an application: the YAML/JSON file of `shared/spec/application.md`, or the
partner self-assessment spreadsheet (.xlsx) imported into the same structure.

Problems with single entries (unknown control id, an attachment that is missing or
escapes the folder) are recorded in Application.errors and the rest still loads; only a
file that cannot be read at all raises ApplicationError.
"""

from __future__ import annotations

import difflib
import json
import os
import posixpath
import re
from functools import cache
from pathlib import Path

import yaml

from grader.catalogue import CONTROL_IDS
from grader.config import get_settings
from grader.errors import ApplicationError
from grader.ingest import guards
from grader.ingest.base import ReadError, decode_utf8, load_data
from grader.ingest.readers import READERS
from grader.models import Application, ControlAnswer, IngestError

_TOP_KEYS = frozenset({"partner", "program", "controls"})
_ENTRY_KEYS = frozenset({"response", "attachments"})
# An exported eval case has the same shape plus these keys: accepted, not used here.
_CASE_KEYS = frozenset({"id", "control", "expected", "tags", "notes"})


# --------------------------------------------------------------------------- entry point


_SPACED_ID = re.compile(r"^\s*([A-Za-z]{2,10})[\s_.–—-]*(\d{3})\s*$")


def normalised_control_id(raw: object) -> str:
    """'acct 001', 'ACCT_001', 'ACCT001' -> 'ACCT-001'; anything else as given, upper-cased."""
    text = str(raw).strip()
    m = _SPACED_ID.match(text)
    return f"{m.group(1).upper()}-{m.group(2)}" if m else text.upper()


def load_application(path: Path) -> Application:
    path = Path(path)
    problem = guards.missing(path)
    if problem:
        raise ApplicationError(f"{path}: {problem}")
    settings = get_settings()
    problem = guards.too_large(path, settings.max_file_mb)
    suffix = path.suffix.lower()
    if problem is None and suffix == ".xlsx":
        problem = guards.zip_bomb(path, settings.max_unzipped_mb)
    if problem:
        raise ApplicationError(f"{path}: {problem}")
    if suffix in (".yaml", ".yml", ".json"):
        loaded = _from_mapping(path, _parse(path))
    elif suffix == ".xlsx":
        loaded = _from_workbook(path)
    else:
        raise ApplicationError(
            f"{path}: unsupported application format {suffix or '(no extension)'!r}; "
            "use .yaml, .yml, .json or the self-assessment .xlsx"
        )
    base_dir = path.parent.resolve()
    errors = list(loaded.errors)
    controls = {}
    for cid, answer in loaded.controls.items():
        kept, problems = _check_attachments(answer, base_dir)
        errors.extend(problems)
        controls[cid] = answer.model_copy(update={"attachments": kept})
    return loaded.model_copy(update={
        "source": str(path), "base_dir": str(base_dir), "controls": controls, "errors": errors,
    })


def _check_attachments(answer: ControlAnswer, base_dir: Path) -> tuple[list[str], list[IngestError]]:
    """Keep attachments that can be read; every other one becomes an error naming it."""
    kept: list[str] = []
    errors: list[IngestError] = []
    for name in answer.attachments:
        full = base_dir / name
        problem = guards.outside_folder(full, base_dir) or guards.missing(full)
        if problem is None and full.suffix.lower() not in READERS:
            problem = f"unsupported file type {full.suffix.lower() or '(no extension)'!r}"
        if problem is None and not os.access(full, os.R_OK):
            problem = "cannot be read (permission denied)"
        if problem:
            errors.append(IngestError(file=name, message=problem, control=answer.control))
        else:
            kept.append(name)  # listed twice stays twice: ingestion reads it once and says so
    return kept, errors


# --------------------------------------------------------------------------- YAML / JSON


class _Pairs(dict):
    """A mapping as written: every key/value pair in order, duplicates included, with the
    line each key is on (YAML only). As a dict it holds the last value of each key."""

    def __init__(self, pairs: list[tuple[object, object]] | None = None) -> None:
        super().__init__()
        self.pairs: list[tuple[object, object, int | None]] = []
        for key, value in pairs or []:
            self.add(key, value, None)

    def add(self, key: object, value: object, line: int | None) -> None:
        self.pairs.append((key, value, line))
        self[key] = value

    def repeated(self) -> list[tuple[object, int | None]]:
        """(key, line of its later occurrence) for every key written more than once."""
        seen: set[object] = set()
        out = []
        for key, _, line in self.pairs:
            if key in seen:
                out.append((key, line))
            seen.add(key)
        return out

    def values_of(self, key: object) -> list[object]:
        return [value for k, value, _ in self.pairs if k == key]


def _where(line: int | None) -> str:
    return f" (line {line})" if line else ""


class _PairsLoader(yaml.SafeLoader):
    """SafeLoader whose mappings are _Pairs: a key given twice is kept twice, never dropped."""


def _construct_pairs(loader: _PairsLoader, node: yaml.MappingNode):  # type: ignore[no-untyped-def]
    data = _Pairs()
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark, "found unhashable key", key_node.start_mark) from None
        data.add(key, loader.construct_object(value_node, deep=True), key_node.start_mark.line + 1)


_PairsLoader.add_constructor("tag:yaml.org,2002:map", _construct_pairs)


def _parse(path: Path) -> object:
    try:
        text = decode_utf8(path.read_bytes())
    except ReadError as exc:
        raise ApplicationError(f"{path}: {exc}") from None
    except OSError as exc:
        raise ApplicationError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        if path.suffix.lower() == ".json":
            try:
                return json.loads(text, object_pairs_hook=_Pairs)
            except json.JSONDecodeError as exc:
                raise ApplicationError(
                    f"{path}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
        loader = _PairsLoader(text)
        try:
            return loader.get_single_data()
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise ApplicationError(f"{path}: invalid YAML{where}: {problem}") from None
        finally:
            loader.dispose()
    except (RecursionError, MemoryError):
        raise ApplicationError(f"{path}: nested too deeply to read as an application") from None


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, (str, int, float, bool)):
        return str(value)
    return None


def _suggestion(raw_id: object, cid: str) -> str:
    """The fix for an id that is none of the eleven: the controls it was probably meant as."""
    family = [c for c in CONTROL_IDS if c.split("-")[0] == cid.split("-")[0]]
    close = family or difflib.get_close_matches(cid, CONTROL_IDS, n=3, cutoff=0.5)
    if close:
        return (f"unknown control id {raw_id!r}: not one of the eleven common controls, so this answer "
                f"was not graded; did you mean {' or '.join(close)}? (all: {', '.join(CONTROL_IDS)})")
    return (f"unknown control id {raw_id!r}: not one of the eleven common controls, so this answer was "
            f"not graded; expected one of {', '.join(CONTROL_IDS)}")


def _twice(first: tuple[object, int | None], later: tuple[object, int | None]) -> str:
    """Where a control was given twice: " (lines 5 and 9)", " (as 'ACCT-001' and 'acct 001')"."""
    where = f"lines {first[1]} and {later[1]}" if first[1] and later[1] else ""
    spelt = f"as {first[0]!r} and {later[0]!r}" if first[0] != later[0] else ""
    shown = ", ".join(part for part in (where, spelt) if part)
    return f" ({shown})" if shown else ""


def _merged(first: ControlAnswer, later: ControlAnswer) -> ControlAnswer:
    """Both answers to one control, as one: nothing the partner wrote is dropped."""
    texts = [t for t in (first.response.strip(), later.response.strip()) if t]
    response = "\n\n".join(dict.fromkeys(texts))
    return first.model_copy(update={"response": response,
                                    "attachments": list(dict.fromkeys([*first.attachments, *later.attachments]))})


def _from_mapping(path: Path, data: object) -> Application:
    name = path.name
    if not isinstance(data, dict) or not isinstance(data.get("controls"), (dict, type(None))):
        raise ApplicationError(
            f"{path}: expected a mapping with a 'controls' mapping of control id -> "
            "{response, attachments} (see the application format)"
        )
    if "controls" not in data:
        hint = " (this looks like an eval case; use `grader eval`)" if "expected" in data else ""
        raise ApplicationError(f"{path}: no 'controls' mapping{hint}")
    top = data if isinstance(data, _Pairs) else _Pairs(list(data.items()))
    errors = [IngestError(file=name, message=(f"'controls' appears twice{_where(line)}: the controls of both are graded"
                                              if key == "controls" else
                                              f"{key!r} appears twice{_where(line)}; the later one is used"))
              for key, line in top.repeated()]
    errors += [IngestError(file=name, message=f"unknown top-level key {key!r} ignored")
               for key in data if key not in _TOP_KEYS]
    entries = [(raw_id, entry, line) for table in top.values_of("controls") if isinstance(table, dict)
               for raw_id, entry, line in (table.pairs if isinstance(table, _Pairs) else
                                           [(k, v, None) for k, v in table.items()])]
    controls: dict[str, ControlAnswer] = {}
    first_given: dict[str, tuple[object, int | None]] = {}
    for raw_id, entry, line in entries:
        cid = normalised_control_id(raw_id)
        if cid in CONTROL_IDS and cid != str(raw_id).strip().upper():  # letter case alone is no mistake
            errors.append(IngestError(file=name, control=cid, message=(
                f"control id {raw_id!r} read as {cid}; write it as {cid}")))
        if cid not in CONTROL_IDS:
            errors.append(IngestError(file=name, control=str(raw_id), message=_suggestion(raw_id, cid)))
            continue
        answer, problems = _entry(cid, entry, name)
        errors.extend(problems)
        if cid in controls:
            errors.append(IngestError(file=name, control=cid, message=(
                f"{cid} is given twice{_twice(first_given[cid], (raw_id, line))}: both answers are graded "
                "together, as one; write them as one entry")))
            answer = _merged(controls[cid], answer)
        else:
            first_given[cid] = (raw_id, line)
        controls[cid] = answer
    return Application(partner=_text(data.get("partner")), program=_text(data.get("program")),
                       controls=controls, errors=errors)


def _attachment_path(item: str) -> str:
    """As written, made comparable: `.\\evidence\\sop.pdf` and `evidence/sop.pdf` are one file."""
    return posixpath.normpath(item.strip().replace("\\", "/"))


def _entry(cid: str, entry: object, name: str) -> tuple[ControlAnswer, list[IngestError]]:
    """One control's entry: {response, attachments}; a bare string is taken as the response."""
    errors: list[IngestError] = []

    def problem(message: str) -> None:
        errors.append(IngestError(file=name, control=cid, message=f"{cid}: {message}"))

    if entry is None:
        problem("the entry is empty: graded as not answered")
        return ControlAnswer(control=cid), errors
    if isinstance(entry, str):
        entry = {"response": entry}
    if not isinstance(entry, dict):
        problem("expected a mapping with 'response' and 'attachments'; entry ignored")
        return ControlAnswer(control=cid), errors
    fields = entry if isinstance(entry, _Pairs) else _Pairs(list(entry.items()))
    for key in dict.fromkeys(fields):
        if key not in _ENTRY_KEYS | _CASE_KEYS:
            problem(f"unknown key {key!r} ignored")
    for key, line in fields.repeated():
        if key in _ENTRY_KEYS:
            problem(f"{key!r} is given twice{_where(line)}: both are graded")
        else:
            problem(f"{key!r} appears twice{_where(line)}; the later one is used")
    responses: list[str] = []
    for given in fields.values_of("response"):
        text = _text(given)
        if text is None and given is not None:
            problem("'response' must be text; it was ignored")
        elif text:
            responses.append(text)
    attachments: list[str] = []
    for raw in fields.values_of("attachments"):
        raw = [raw] if isinstance(raw, str) else raw or []
        if not isinstance(raw, list):
            problem("'attachments' must be a list of file paths; it was ignored")
            continue
        for item in raw:
            if isinstance(item, str) and item.strip():
                attachments.append(_attachment_path(item))
            else:
                problem(f"attachment {item!r} is not a file path; ignored")
    response = "\n\n".join(responses)
    if not response.strip() and not attachments:
        given = "only whitespace" if any(fields.values_of("response")) else "empty"
        problem(f"the response is {given} and nothing is attached: graded as not answered")
    return ControlAnswer(control=cid, response=response, attachments=attachments), errors


# --------------------------------------------------------------------------- self-assessment .xlsx


@cache
def _rules() -> dict[str, re.Pattern[str] | int]:
    data = load_data("self_assessment.yaml")
    return {key: value if isinstance(value, int) else re.compile(value, re.IGNORECASE)
            for key, value in data.items()}


def _cell(value: object) -> str:
    return "" if value is None else str(value).strip()


def _find_header(rows: list[tuple[int, list]]) -> tuple[int, int, int | None] | None:
    """(header row number, response column, attachments column) of a sheet, if it has one."""
    rules = _rules()
    for number, cells in rows[: rules["header_search_rows"]]:  # type: ignore[misc]
        texts = [_cell(c) for c in cells]
        response = next((i for i, t in enumerate(texts) if rules["response_header"].search(t)), None)  # type: ignore[union-attr]
        if response is None:
            continue
        attachments = next((i for i, t in enumerate(texts)
                            if i != response and rules["attachments_header"].search(t)), None)  # type: ignore[union-attr]
        return number, response, attachments
    return None


def _labelled(rows: list[tuple[int, list]], rule: re.Pattern[str]) -> str | None:
    """The value right of a label cell such as "Partner name:"."""
    for _, cells in rows:
        texts = [_cell(c) for c in cells]
        for i, text in enumerate(texts[:-1]):
            if rule.fullmatch(text) and texts[i + 1]:
                return texts[i + 1]
    return None


def _split_attachments(value: str) -> list[str]:
    rules = _rules()
    parts = (p.strip() for p in rules["attachment_separators"].split(value))  # type: ignore[union-attr]
    return [p for p in parts if p and not rules["no_attachment"].fullmatch(p)]  # type: ignore[union-attr]


def _from_workbook(path: Path) -> Application:
    from grader.ingest.xlsx import sheet_rows  # openpyxl only when a workbook is loaded

    try:
        sheets = sheet_rows(path)
    except ReadError as exc:
        raise ApplicationError(f"{path}: {exc}") from None
    rules = _rules()
    name = path.name
    errors: list[IngestError] = []
    controls: dict[str, ControlAnswer] = {}
    where: dict[str, str] = {}
    outside: list[str] = []
    partner = program = None
    headed = False
    for sheet, rows in sheets.items():
        partner = partner or _labelled(rows, rules["partner_label"])  # type: ignore[arg-type]
        program = program or _labelled(rows, rules["program_label"])  # type: ignore[arg-type]
        header = _find_header(rows)
        if header is None:
            continue
        headed = True
        header_row, response_col, attachments_col = header
        for number, cells in rows:
            if number <= header_row:
                continue
            texts = [_cell(c) for c in cells]
            found = next(((i, m.group(1)) for i, t in enumerate(texts)
                          if i not in (response_col, attachments_col)
                          and (m := rules["control_id"].match(t))), None)  # type: ignore[union-attr]
            if found is None:
                continue
            cid = found[1].upper()
            if cid not in CONTROL_IDS:
                outside.append(cid)
                continue
            here = f"sheet {sheet!r} row {number}"
            response = texts[response_col] if response_col < len(texts) else ""
            attached = texts[attachments_col] if attachments_col is not None and attachments_col < len(texts) else ""
            answer = ControlAnswer(control=cid, response=response,
                                   attachments=[_attachment_path(a) for a in _split_attachments(attached)])
            if cid in controls:
                errors.append(IngestError(file=name, control=cid, message=(
                    f"{cid} appears twice ({where[cid]} and {here}): both rows are graded together, as one "
                    "answer; write them in one row")))
                answer = _merged(controls[cid], answer)
            else:
                where[cid] = here
            controls[cid] = answer
    if not headed:
        raise ApplicationError(
            f"{path}: no sheet has a response column (a header cell such as 'Partner response'); "
            "is this the self-assessment spreadsheet?"
        )
    if outside:
        errors.append(IngestError(file=name, message=(
            "rows for controls outside the eleven common ones were not imported: "
            + ", ".join(dict.fromkeys(outside)))))
    return Application(partner=partner, program=program, controls=controls, errors=errors)
