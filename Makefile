# Two entry points, both self-contained on a fresh machine with Python >= 3.11:
#   make run   - create .venv, build the knowledge index, assess the sample application offline
#   make test  - create .venv and run the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SAMPLE ?= examples/sample-application/application.yaml

.PHONY: run test eval bench app clean

$(BIN)/grader: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

run: $(BIN)/grader
	$(BIN)/grader index
	$(BIN)/grader assess $(SAMPLE) --format md; test $$? -le 1

test: $(BIN)/grader
	$(BIN)/python -m pytest -q

eval: $(BIN)/grader
	$(BIN)/grader eval --cases eval/cases --judge offline --baseline eval/baseline-offline.json \
		--json eval/reports/offline.json --markdown eval/reports/offline.md

bench: $(BIN)/grader
	$(BIN)/python -m bench

app: $(BIN)/grader
	$(BIN)/grader app

clean:
	rm -rf $(VENV) build *.egg-info
