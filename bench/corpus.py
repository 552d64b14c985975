"""Evidence the benchmarks generate: PDFs and DOCX of N pages, and the sample application
with its prose attachments made N times longer.

Every generated sentence is different (templates filled from bench/corpus.yaml, copies
reworded with a qualifier), because the grader memoises embeddings per sentence: repeated
text would be embedded once and hide the real cost of a bigger application.
"""

from __future__ import annotations

import random
import re
import shutil
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel

CORPUS_FILE = Path(__file__).with_name("corpus.yaml")
PAGE_CHARS = 2400  # a dense A4 page of prose; also the page-equivalent used for DOCX
_SLOT = re.compile(r"\{(\w+)\}")
# End of a sentence: a word character or closing bracket, then . ! or ?, then space or end.
SENTENCE_END = re.compile(r"(?<=[\w)\]])([.!?])(?=\s|$)")


class CorpusData(BaseModel):
    sentences: list[str]
    slots: dict[str, list[str]]
    qualifiers: list[str]


class ScaledApplication(BaseModel):
    """A copy of an application whose text attachments were made `factor` times longer."""

    path: Path  # the application.yaml of the copy
    factor: int
    scaled_files: list[str]  # attachments that were lengthened (relative to the folder)


@lru_cache(maxsize=1)
def corpus() -> CorpusData:
    return CorpusData.model_validate(yaml.safe_load(CORPUS_FILE.read_text(encoding="utf-8")))


def sentence(rng: random.Random) -> str:
    data = corpus()
    template = rng.choice(data.sentences)
    return _SLOT.sub(lambda m: rng.choice(data.slots[m.group(1)]), template)


def page_paragraphs(rng: random.Random, number: int, chars: int = PAGE_CHARS) -> list[str]:
    """One page of prose: a numbered heading and paragraphs of about `chars` characters.

    The page number goes into every sentence so no two pages share a sentence.
    """
    paragraphs = [f"Section {number}: operating procedure, page {number}"]
    written = len(paragraphs[0])
    while written < chars:
        text = " ".join(
            SENTENCE_END.sub(f" (p{number}.{i})\\1", sentence(rng), count=1) for i in range(4)
        )
        paragraphs.append(text)
        written += len(text)
    return paragraphs


def write_pdf(path: Path, pages: int, seed: int = 7) -> int:
    """A text PDF of exactly `pages` pages; returns the characters written."""
    from fpdf import FPDF

    rng = random.Random(seed)
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)  # one generated page = one PDF page, exactly
    written = 0
    for number in range(1, pages + 1):
        pdf.add_page()
        heading, *body = page_paragraphs(rng, number)
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(0, 6, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 9)
        for paragraph in body:
            pdf.multi_cell(0, 4.5, paragraph, new_x="LMARGIN", new_y="NEXT")
        written += len(heading) + sum(len(p) for p in body)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return written


def write_docx(path: Path, pages: int, seed: int = 11) -> int:
    """A Word document with `pages` page-equivalents of headings, paragraphs and a table each."""
    import docx

    rng = random.Random(seed)
    document = docx.Document()
    written = 0
    for number in range(1, pages + 1):
        heading, *body = page_paragraphs(rng, number)
        document.add_heading(heading, level=2)
        for paragraph in body[:-1]:
            document.add_paragraph(paragraph)
        # The last paragraph goes in as a small table: readers walk tables differently.
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "Control", f"Procedure {number}"
        table.cell(1, 0).text, table.cell(1, 1).text = "Detail", body[-1]
        written += len(heading) + sum(len(p) for p in body)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return written


# ---------------------------------------------------------------------- scaling


def reworded(text: str, copy: int) -> str:
    """Copy number `copy` of a text: each sentence gets a qualifier naming the copy, and lines
    without a sentence end (headings, list items, table rows) get it appended."""
    qualifiers = corpus().qualifiers
    counter = 0

    def qualifier() -> str:
        nonlocal counter
        counter += 1
        return qualifiers[(copy + counter) % len(qualifiers)].format(n=copy)

    lines = []
    for line in text.splitlines():
        if not line.strip() or set(line.strip()) <= set("|-: "):
            lines.append(line)  # blank lines and table rulers stay as they are
        elif SENTENCE_END.search(line):
            lines.append(SENTENCE_END.sub(lambda m: f" {qualifier()}{m.group(1)}", line))
        else:
            lines.append(f"{line.rstrip()} ({qualifier()})")
    return "\n".join(lines)


def lengthened(text: str, factor: int) -> str:
    """The text followed by factor-1 reworded copies of itself."""
    return "\n\n".join([text, *(reworded(text, n) for n in range(1, factor))])


def scale_application(source: Path, target_dir: Path, factor: int) -> ScaledApplication:
    """Copy the application folder of `source` into `target_dir` and make its Markdown and
    text attachments `factor` times longer.

    Prose is what partners pile up (runbooks, standards, checklists). PDFs, templates,
    policies, diagrams and spreadsheets stay as they are: PDF throughput has its own section,
    and the one PDF of the sample is cited by four controls, so lengthening it would make the
    100x run take minutes without telling anything the marginal cost does not.
    """
    folder = source.parent
    if target_dir.exists():
        shutil.rmtree(target_dir)
    shutil.copytree(folder, target_dir)
    scaled: list[str] = []
    for path in sorted(target_dir.rglob("*")):
        if path.suffix.lower() not in (".md", ".txt") or path.name == "README.md" or path.name == source.name:
            continue
        path.write_text(lengthened(path.read_text(encoding="utf-8"), factor), encoding="utf-8")
        scaled.append(path.relative_to(target_dir).as_posix())
    return ScaledApplication(path=target_dir / source.name, factor=factor, scaled_files=scaled)
