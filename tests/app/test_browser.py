"""The real thing: `streamlit run app.py` on 127.0.0.1, driven by Debian's headless Chromium.

Playwright drives /usr/bin/chromium (never `playwright install`: nothing is downloaded).
`.ci/run` installs the `chromium` package; without it this test skips and says why.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect, sync_playwright

from tests.servers import stop, wait_until_healthy

from grader.cli.webapp import APP_SCRIPT, streamlit_command

pytestmark = [pytest.mark.browser, pytest.mark.server]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
# The first assessment on a fresh server loads the embedding model and embeds the
# calibration examples: generous, since CI machines vary.
ASSESS_TIMEOUT_MS = 600_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served_app(grader_home: Path, tmp_path: Path) -> Iterator[str]:
    """URL of the app served by `streamlit run` on a free port of 127.0.0.1."""
    port = _free_port()
    log_path = tmp_path / "streamlit.log"
    command = streamlit_command(APP_SCRIPT, port=port, address="127.0.0.1") + [
        "--server.fileWatcherType", "none",
    ]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                env={**os.environ, "GRADER_HOME": str(grader_home)})
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(proc, f"{url}/_stcore/health", lambda r: r.text.strip() == "ok", 120,
                           lambda: log_path.read_text()[-2000:])
        yield url
    finally:
        stop(proc, timeout=15)


def test_sample_application_is_assessed_offline_in_a_real_browser(served_app: str, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's `chromium` package (.ci/run does)")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(served_app)
            page.get_by_role("button", name="Load sample application").click()
            expect(page.get_by_text("Sample application loaded")).to_be_visible(timeout=60_000)

            page.get_by_role("button", name="Assess", exact=True).click()
            clicked = time.monotonic()
            expect(page.get_by_role("heading", name="Summary")).to_be_visible(timeout=ASSESS_TIMEOUT_MS)
            seconds = time.monotonic() - clicked

            expect(page.get_by_text("Controls passed")).to_be_visible()
            expect(page.get_by_text("Assessed 11 controls in")).to_be_visible()  # the status closed
            expect(page.get_by_text("DOC-001 · Architecture diagram", exact=False).first).to_be_visible()
            # Reports are built when their button is clicked: the served file is the report.
            with page.expect_download(timeout=60_000) as download:
                page.get_by_role("button", name="Markdown report").click()
            report = Path(download.value.path()).read_text(encoding="utf-8")
            assert "NETSEC-001" in report and download.value.suggested_filename.endswith(".md")
            # Open one failing control so the picture shows criteria, quotes and flags too.
            netsec = page.locator("[data-testid='stExpander']").filter(has_text="NETSEC-001 · ")
            netsec.get_by_text("NETSEC-001 · ", exact=False).first.click()
            expect(netsec.get_by_text("Unacceptable patterns")).to_be_visible()
            expect(netsec.get_by_text("security-engagement-sop.pdf, p.", exact=False).first).to_be_visible()
            # Streamlit scrolls inside its own container: a tall window shows the whole flow.
            page.set_viewport_size({"width": 1400, "height": 4200})
            time.sleep(1.5)  # let the chart finish drawing before the picture
            shot = tmp_path / "app-summary.png"
            page.screenshot(path=str(shot))
        finally:
            browser.close()

    assert shot.stat().st_size > 10_000
    (tmp_path / "timing.txt").write_text(f"click-to-summary seconds: {seconds:.1f}\n")
    print(f"\nsample application: {seconds:.1f} s from clicking Assess to the summary; screenshot {shot}")


def choose(page, within, label: str, option: str) -> None:
    """Pick an option of a Streamlit selectbox (a combobox) and wait until it shows it."""
    combobox = within.get_by_role("combobox", name=label, exact=True)
    for _ in range(4):  # a rerun redrawing the page closes an open list: open it again
        idle(page)
        combobox.click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=5_000)
            expect(combobox).to_have_value(option, timeout=5_000)
            break
        except (PlaywrightTimeout, AssertionError):
            page.keyboard.press("Escape")
    expect(combobox).to_have_value(option)
    idle(page)


def idle(page) -> None:
    """Wait until the app has finished rerunning (Streamlit shows a status widget meanwhile)."""
    time.sleep(0.3)
    expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=60_000)


def test_a_reviewer_overrides_downloads_the_report_and_reassesses_from_history(served_app: str, tmp_path: Path) -> None:
    """The whole round in a real browser: paste an answer, upload a file, assess, override a
    criterion with a comment, find both in the downloaded HTML report, re-open the assessment
    from the history with its answer restored, edit it and assess again."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's `chromium` package (.ci/run does)")
    from tests.app.answers import ACCT_001_ANSWER, sop_pdf

    comment = "The SOP only plans MFA for the root user; no evidence it is enabled today."
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1200})
            page.goto(served_app)
            page.get_by_label("Reviewer name", exact=True).fill("Dana Reviewer")
            page.get_by_label("Reviewer name", exact=True).press("Enter")
            page.get_by_role("tab", name="ACCT-001").click()
            tab = page.get_by_role("tabpanel", name="ACCT-001")
            expect(tab.get_by_text("25MB per file", exact=False)).to_be_visible()  # the grader's own limit
            pdf = tmp_path / "upload" / "security-sop.pdf"
            pdf.parent.mkdir()
            pdf.write_bytes(sop_pdf(tmp_path))
            tab.locator("input[type=file]").set_input_files(str(pdf))
            expect(tab.get_by_text("security-sop.pdf", exact=False).first).to_be_visible(timeout=30_000)
            tab.get_by_label("Answer", exact=True).fill(ACCT_001_ANSWER)
            tab.get_by_label("Answer", exact=True).press("Control+Enter")
            time.sleep(1.0)  # the answer reaches the server before Assess is clicked

            page.get_by_role("button", name="Assess", exact=True).click()
            expect(page.get_by_role("heading", name="Summary")).to_be_visible(timeout=ASSESS_TIMEOUT_MS)

            # A window tall enough that nothing scrolls: a scroll closes an open selectbox list.
            page.set_viewport_size({"width": 1400, "height": 5000})
            panel = page.locator("[data-testid='stExpander']").filter(has_text="ACCT-001 · ")
            panel.get_by_text("ACCT-001 · ", exact=False).first.click()
            choose(page, panel, "Item", "root-mfa")
            choose(page, panel, "Reviewer's verdict", "not met")
            panel.get_by_label("Comment", exact=True).fill(comment)
            panel.get_by_label("Comment", exact=True).press("Enter")
            panel.get_by_role("button", name="Save override").click()
            # The control stays open, with the review in its label and its history.
            expect(panel.get_by_text("Review history:", exact=False)).to_be_visible(timeout=30_000)
            expect(panel.get_by_role("button", name="Save override")).to_be_visible()

            with page.expect_download(timeout=60_000) as download:
                page.get_by_role("button", name="HTML report").click()
            report = Path(download.value.path()).read_text(encoding="utf-8")
            assert comment in report and "Dana Reviewer" in report
            assert "root-mfa" in report

            idle(page)
            page.locator(".st-key-open_history button").first.click()  # History · Open: the only one saved
            page.get_by_role("tab", name="ACCT-001").click()
            restored = page.get_by_role("tabpanel", name="ACCT-001").get_by_label("Answer", exact=True)
            expect(restored).to_have_value(ACCT_001_ANSWER.strip(), timeout=30_000)
            expect(page.get_by_text("Kept from the saved assessment", exact=False)).to_be_visible()
            restored.fill(ACCT_001_ANSWER + "\nThe root user has no access keys.")
            restored.press("Control+Enter")
            page.get_by_role("button", name="Assess", exact=True).click()
            expect(page.get_by_text("What moved since the re-opened assessment")).to_be_visible(timeout=ASSESS_TIMEOUT_MS)
            page.set_viewport_size({"width": 1400, "height": 3000})
            time.sleep(1.0)
            shot = tmp_path / "app-reassessed.png"
            page.screenshot(path=str(shot))
        finally:
            browser.close()
    assert shot.stat().st_size > 10_000
    print(f"\nreviewed, downloaded and re-assessed in a real browser; screenshot {shot}")


def test_a_long_assessment_can_be_cancelled_and_the_answers_stay(served_app: str) -> None:
    """Cancel during a run: the app says it stopped, saved nothing, and kept what was pasted."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's `chromium` package (.ci/run does)")
    # About 95 KB per answer in three controls: seconds of grading, time to click Cancel (a
    # browser fills a text area of several hundred KB too slowly for a test).
    long_answer = "\n\n".join(
        f"Runbook step {i}: the on-call engineer checks dashboard {i}, notes queue depth {i % 97} and "
        f"escalates ticket OPS-{i} to the platform team when the alarm stays red." for i in range(600))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1200})
            page.goto(served_app)
            expect(page.get_by_text("Each answer takes up to 5,000,000 characters", exact=False)).to_be_visible(
                timeout=60_000)
            for control in ("OPE-001", "OPE-002", "OPE-003"):
                page.get_by_role("tab", name=control).click()
                answer = page.get_by_role("tabpanel", name=control).get_by_label("Answer", exact=True)
                answer.fill(long_answer)
                answer.press("Control+Enter")
                idle(page)
            page.get_by_role("button", name="Assess", exact=True).click()
            page.get_by_role("button", name="Cancel").click(timeout=ASSESS_TIMEOUT_MS)
            expect(page.get_by_text("The assessment was cancelled before it finished", exact=False)).to_be_visible(
                timeout=ASSESS_TIMEOUT_MS)
            expect(page.get_by_role("heading", name="Summary")).to_have_count(0)
            page.get_by_role("tab", name="OPE-002").click()
            kept = page.get_by_role("tabpanel", name="OPE-002").get_by_label("Answer", exact=True)
            assert kept.evaluate("e => e.value.length") == len(long_answer)
        finally:
            browser.close()
