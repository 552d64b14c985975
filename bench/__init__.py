"""Benchmarks for sdp-grader: `python -m bench [--quick] [--json PATH] [--markdown PATH]`.

Each figure is taken in a fresh child process through the grader's own code paths (the
`grader` CLI for start-up, the library API for the rest); see bench/cli.py for the sections.
"""
