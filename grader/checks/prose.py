"""Facts stated in prose or table cells: the same facts the template checks look for.

"RDP 3389 is open from 0.0.0.0/0 for the support team" fails NETSEC-001 as surely as the
same rule in a CloudFormation template. The patterns are data (prose.yaml); which criterion
each fact bears on, and how hard, is rules.yaml. A fact counts only where the sentence
asserts it (grader/stance.py): denied, planned or hedged, it is not the fact.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, RootModel

from grader.checks.rules import finding, load_model
from grader.models import Document, Finding
from grader.stance import classify, forbidden_before
from grader.text import rx

PROSE_FILE = Path(__file__).with_name("prose.yaml")
MAX_QUOTE = 160


class ProseFact(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    message: str
    patterns: list[str] = Field(min_length=1)


class ProseFacts(RootModel[dict[str, ProseFact]]):
    pass


@lru_cache(maxsize=1)
def prose_facts() -> dict[str, ProseFact]:
    return load_model(PROSE_FILE, ProseFacts).root


# A contrast or a semicolon starts a new statement: "Auto scaling can be enabled, but we run a fixed
# desired count" states the fixed count, whatever the hedge before it says.
_NEW_STATEMENT = re.compile(r";|\b(?:but|however|whereas)\b", re.I)


def asserted(sentence: str, span: tuple[int, int]) -> bool:
    """Stated as fact: not denied, forbidden, planned or hedged ("no port 22 from 0.0.0.0/0")."""
    lo = max((m.end() for m in _NEW_STATEMENT.finditer(sentence, 0, span[0])), default=0)
    part, at = sentence[lo:], (span[0] - lo, span[1] - lo)
    # "In most cases we run a fixed desired count": what happens mostly happens.
    return classify(part, at) in ("asserted", "qualified") and not forbidden_before(part, at[0])


# An Availability Zone id (eu-west-1a), and words that say the workload spans several.
_AZ_ID = re.compile(r"\b(?:[a-z]{2}-[a-z]+-\d[a-f])\b")
_SEVERAL_AZS = re.compile(
    r"\bmulti-?az\b|\b(?:two|three|four|2|3|4|multiple|several|both|all|different|separate|each|every|"
    r"other|second)\s+(?:of\s+the\s+)?(?:availability\s+zones?|azs?)\b|\bacross\s+(?:the\s+)?"
    r"(?:availability\s+zones|azs)\b|\b(?:availability\s+zones|azs)\s*\(",
    re.I,
)


def _spans_several_zones(doc: Document) -> bool:
    """Says, as a fact, that the workload spans several zones ("should ... where feasible" does not)."""
    for sentence in doc.sentences():
        m = _SEVERAL_AZS.search(sentence.text)
        if m and asserted(sentence.text, m.span()):
            return True
    return False


def single_az_answer(documents: list[Document]) -> list[Finding]:
    """The answer places its resources in one Availability Zone, by id, and never says the
    workload spans more: "the web tier ... in the private app subnet of eu-west-1a; RDS ... in
    the private data subnet of eu-west-1a"."""
    answer = next((d for d in documents if not d.attached), None)
    if answer is None:
        return []
    zones = {m.group(0) for m in _AZ_ID.finditer(answer.text)}
    if len(zones) != 1 or any(_spans_several_zones(d) for d in documents if not d.structured):
        return []
    zone = next(iter(zones))
    first = _AZ_ID.search(answer.text)
    return [finding("prose", "single-az", f"Every resource the answer places is in one Availability Zone "
                    f"({zone}), and nothing in the evidence says the workload spans more.",
                    answer.provenance(*first.span()))]


# A configured address is a key's value ("url: http://...", "\"endpoint\": \"http://...\""); a comment
# (a licence header) or a schema id names a page, it calls nothing.
_CONFIGURED_URL = re.compile(r"""^\s*-?\s*["']?[\w.-]+["']?\s*:\s*["']?http://""")
_NOT_A_CALL = re.compile(r"schema|xmlns|namespace|w3\.org|\$id\b", re.I)


def data_file_urls(doc: Document) -> list[Finding]:
    """Plain-HTTP endpoints configured in a YAML/JSON file (an integration's config): the same
    unencrypted call as in prose. Only this fact is read in data; the rest are prose facts."""
    if doc.kind not in ("json", "yaml"):
        return []
    fact = prose_facts()["prose-plain-http"]
    out, pos = [], 0
    for line in doc.text.split("\n"):
        if _CONFIGURED_URL.match(line) and not _NOT_A_CALL.search(line):
            for pattern in fact.patterns:
                m = rx(pattern).search(line)
                if m:
                    start = pos + m.start()
                    out.append(finding("prose", "prose-plain-http", fact.message.format(match=m.group(0)[:MAX_QUOTE]),
                                       doc.provenance(start, pos + m.end())))
                    break
        pos += len(line) + 1
    return out


# A recovery objective and its value: "RTO of 1 hour", "RTO: 4 h", "recovery time objective is 30 minutes".
_OBJECTIVE = re.compile(
    r"\b(?P<kind>RTO|RPO|recovery\s+time\s+objective|recovery\s+point\s+objective)s?\b[^.;\n\d]{0,25}?"
    r"(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d)\b", re.I)
_MINUTES = {"s": 1 / 60, "m": 1, "h": 60, "d": 1440}


def _objectives(text: str) -> dict[str, set[float]]:
    found: dict[str, set[float]] = {}
    for m in _OBJECTIVE.finditer(text):
        kind = "RTO" if m.group("kind").lower().startswith(("rto", "recovery time")) else "RPO"
        unit = m.group("unit").lower()
        minutes = float(m.group("value")) * _MINUTES["m" if unit.startswith("mi") else unit[0]]
        found.setdefault(kind, set()).add(round(minutes, 2))
    return found


def objectives_disagree(documents: list[Document]) -> list[Finding]:
    """The answer's recovery objectives and its attached plan's share no value: "an RTO of 1 hour"
    in the answer, "RTO 4 hours" in the DR plan. Which one holds is for a reviewer."""
    answer = next((d for d in documents if not d.attached), None)
    if answer is None:
        return []
    said = _objectives(answer.text)
    out = []
    for doc in documents:
        if not doc.attached or doc.structured:
            continue
        planned = _objectives(doc.text)
        for kind in ("RTO", "RPO"):
            if said.get(kind) and planned.get(kind) and not said[kind] & planned[kind]:
                out.append(finding("prose", "objectives-disagree", (
                    f"The answer states {kind} {', '.join(_minutes(v) for v in sorted(said[kind]))}, but {doc.path} "
                    f"states {', '.join(_minutes(v) for v in sorted(planned[kind]))}: one of them is not the target."),
                    doc.provenance(0, 0)))
    return out


def _minutes(value: float) -> str:
    return f"{value / 60:g} h" if value >= 60 else f"{value:g} min"


def findings(documents: list[Document]) -> list[Finding]:
    """Every asserted prose fact in the documents' text (templates are checked as data)."""
    out = single_az_answer(documents) + objectives_disagree(documents)
    for doc in documents:
        if doc.structured:
            out += data_file_urls(doc)
            continue
        for sentence in doc.sentences():
            for kind, fact in prose_facts().items():
                for pattern in fact.patterns:
                    m = rx(pattern).search(sentence.text)
                    if m and asserted(sentence.text, m.span()):
                        quote = " ".join(m.group(0).split())[:MAX_QUOTE]
                        start, end = sentence.start + m.start(), sentence.start + m.end()
                        out.append(finding("prose", kind, fact.message.format(match=quote), doc.provenance(start, end)))
                        break
    return out
