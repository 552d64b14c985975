"""Eval harness: labeled cases -> a judge -> agreement figures, pictures, a regression gate.

    load_cases(directory) -> list[EvalCase]          cases.py   (eval-case.md format)
    run_eval(cases, judge, assess=None, progress=None) -> EvalResult   run.py
    summarise(result) -> EvalSummary                 summary.py (the --json keys)
    regressions(current, baseline, tolerance)        gate.py
    print_report / write_json / write_markdown       report.py, plots.py (PNG charts)
"""
