"""Smoke tests of the benchmarks: the quickest measurement on tiny inputs, the JSON it
writes, and the pieces the figures rest on. Figures are never asserted: machines differ."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bench.cli import app
from bench.corpus import lengthened, scale_application
from bench.ingest import COLUMNS as INGEST_COLUMNS
from bench.ingest import measure_ingestion
from bench.plan import PLANS
from bench.report import to_markdown, write_json
from bench.results import BenchReport
from bench.runner import BenchError, run_probe
from bench.stats import loglog_slope, step_slopes

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sample-application" / "application.yaml"


@pytest.fixture
def tiny_ingestion_report(tmp_path: Path) -> BenchReport:
    plan = PLANS["quick"].model_copy(update={"pdf_pages": [2], "docx_pages": [1], "read_repeats": 1})
    report = BenchReport(mode="test", command="pytest")
    report.sections.append(measure_ingestion(plan, tmp_path))
    return report


def test_ingestion_of_tiny_files_is_written_as_json_with_every_figure(
        tiny_ingestion_report: BenchReport, tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    write_json(tiny_ingestion_report, out)

    data = json.loads(out.read_text(encoding="utf-8"))
    assert {"mode", "command", "started", "seconds", "machine", "sections"} <= set(data)
    assert {"cpus", "python", "load_avg_start"} <= set(data["machine"])
    (section,) = data["sections"]
    assert section["key"] == "ingest"
    assert [row["file"] for row in section["rows"]] == ["evidence-2p.pdf", "evidence-1p.docx"]
    for row in section["rows"]:
        assert set(INGEST_COLUMNS) <= set(row)
        assert row["chars"] > 0 and row["pages/s"] > 0 and row["peak RSS MB"] > 0
    assert section["rows"][0]["pages"] == 2  # the generated PDF has exactly the pages asked for
    assert section["targets"] == []  # the 100-page target applies only when 100 pages were read


def test_markdown_report_has_a_table_row_per_measured_file(tiny_ingestion_report: BenchReport) -> None:
    markdown = to_markdown(tiny_ingestion_report)

    assert "| file | pages | chars |" in markdown
    assert "| evidence-2p.pdf | 2 |" in markdown
    assert "`pytest`" in markdown


def test_an_unknown_section_is_refused_with_the_valid_names() -> None:
    result = CliRunner().invoke(app, ["--only", "everything"])

    assert result.exit_code == 2
    assert "unknown section(s) everything" in result.output
    assert "startup, ingest, assess, scaling, growth, llm" in result.output


def test_a_failing_probe_is_a_bench_error_naming_it_not_a_traceback() -> None:
    with pytest.raises(BenchError, match="probe 'read' failed"):
        run_probe("read", path="/nonexistent/evidence.pdf", repeats=1)


def test_exponent_of_linear_and_quadratic_growth() -> None:
    x = [1.0, 10.0, 100.0]
    assert math.isclose(loglog_slope(x, [3 * v for v in x]), 1.0)
    assert math.isclose(loglog_slope(x, [v * v for v in x]), 2.0)


def test_a_fixed_cost_makes_the_early_steps_look_sublinear() -> None:
    x = [1.0, 10.0, 100.0]
    steps = step_slopes(x, [5 + v for v in x])  # 5 s of start-up, then linear

    assert steps == pytest.approx([math.log10(15 / 6), math.log10(105 / 15)])
    assert steps[0] < steps[1] < 1


def test_lengthened_text_repeats_no_line_so_nothing_is_served_from_the_embedding_cache() -> None:
    text = "# Runbook\n\nRestart the service. Check the alarm!\n- daily review\n\n| a | b |\n|---|---|"
    longer = lengthened(text, 4)

    prose = [line for line in longer.splitlines() if line.strip() and not set(line) <= set("|-: ")]
    assert len(prose) == 4 * 4  # four copies of four prose lines
    assert len(set(prose)) == len(prose)
    assert longer.startswith(text)


def test_scaling_lengthens_the_prose_attachments_and_keeps_the_rest(tmp_path: Path) -> None:
    scaled = scale_application(SAMPLE, tmp_path / "copy", 3)

    folder = SAMPLE.parent
    assert scaled.path == tmp_path / "copy" / "application.yaml"
    assert scaled.scaled_files and all(name.endswith(".md") for name in scaled.scaled_files)
    for name in scaled.scaled_files:
        original = (folder / name).read_text(encoding="utf-8")
        copy = (tmp_path / "copy" / name).read_text(encoding="utf-8")
        assert copy.startswith(original) and len(copy) > 2.5 * len(original)
    pdf = "evidence/security-engagement-sop.pdf"
    assert (tmp_path / "copy" / pdf).read_bytes() == (folder / pdf).read_bytes()


def test_growth_evidence_has_the_size_asked_and_no_repeated_sentence(tmp_path: Path) -> None:
    import yaml

    from bench.growth import pasted_application, prose
    from grader.ingest.application import load_application

    text = prose(60_000, seed=3)
    assert len(text) == 60_000
    sentences = [s for s in text.replace("\n", " ").split(". ") if len(s) > 40]
    assert len(sentences) == len(set(sentences))
    app = load_application(pasted_application(tmp_path / "app", 30_000))
    assert len(app.controls["OPE-001"].response) == 30_000
    assert yaml.safe_load((tmp_path / "app" / "application.yaml").read_text())["controls"].keys() == {"OPE-001"}


def test_the_growth_probe_reads_the_sampled_figures_from_the_graders_own_note() -> None:
    # The probe parses the finding the engine writes: if its wording changes, this fails here.
    from bench.probe import sampled_files
    from grader.catalogue import get_catalogue
    from grader.config import get_settings
    from grader.engine import sampling_findings
    from grader.models import ControlAssessment, ControlEvidence, RetrievedEvidence, SampledFile

    retrieved = RetrievedEvidence(
        control="OPE-001", evidence=ControlEvidence(control="OPE-001", answered=True),
        sampled=[SampledFile(file="response", passages_read=190, passages=1_899, chars_read=99_000, chars=1_000_000)])
    flags = sampling_findings(get_catalogue()["OPE-001"], retrieved, get_settings())
    result = type("Result", (), {"controls": [ControlAssessment(control="OPE-001", verdict="fail", flags=flags)]})
    assert sampled_files(result) == [{"control": "OPE-001", "file": "response", "passages": 1899, "passages_read": 190}]
