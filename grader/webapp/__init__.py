"""The Streamlit app's parts; app.py (repo root) is the page layout over them.

Logic, testable without a browser:
    intake.py   pasted answers + uploads, or an uploaded application file -> Application
    runs.py     input fingerprint and the per-server cache that makes a re-run instant
    store.py    SQLAlchemy store of assessments, their inputs and reviewer overrides
    review.py   overrides beside the grader's verdicts: latest per item, effective labels
    export.py   reviewed controls -> labeled eval cases (shared/spec/eval-case.md), zipped
    flags.py    findings grouped under the headings a reviewer scans for (flags.yaml)
    markdown.py partner text made inert before Streamlit renders it as Markdown

Streamlit widgets and session state:
    session.py      the Assess button's run: fingerprint, run cache, judge, assess, store
    sidebar.py      the judge to grade with (Settings via config.settings_with) and history
    inputs.py       the input form, the Application it describes, problems beside inputs
    views.py        how an assessment is drawn: summary, downloads, one control's parts
    review_form.py  the reviewer's override form under each control and its callbacks
"""
