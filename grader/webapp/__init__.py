"""The Streamlit app's non-UI logic, kept here so it is testable without a browser.

    intake.py   pasted answers + uploads, or an uploaded application file -> Application
    runs.py     input fingerprint and the per-server cache that makes a re-run instant
    store.py    SQLAlchemy store of assessments, their inputs and reviewer overrides
    review.py   overrides beside the grader's verdicts: latest per item, effective labels
    export.py   reviewed controls -> labeled eval cases (shared/spec/eval-case.md), zipped
    flags.py    findings grouped under the headings a reviewer scans for (flags.yaml)
    markdown.py partner text made inert before Streamlit renders it as Markdown

app.py (repo root) is the thin Streamlit shell over these and the grader library.
"""
