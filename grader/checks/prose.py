"""Facts stated in prose or table cells: the same facts the template checks look for.

"RDP 3389 is open from 0.0.0.0/0 for the support team" fails NETSEC-001 as surely as the
same rule in a CloudFormation template. The patterns are data (prose.yaml); which criterion
each fact bears on, and how hard, is rules.yaml. A fact counts only where the sentence
asserts it (grader/stance.py): denied, planned or hedged, it is not the fact.
"""

from __future__ import annotations

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


def asserted(sentence: str, span: tuple[int, int]) -> bool:
    """Stated as fact: not denied, forbidden, planned or hedged ("no port 22 from 0.0.0.0/0")."""
    return classify(sentence, span) == "asserted" and not forbidden_before(sentence, span[0])


def findings(documents: list[Document]) -> list[Finding]:
    """Every asserted prose fact in the documents' text (templates are checked as data)."""
    out = []
    for doc in documents:
        if doc.structured:
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
