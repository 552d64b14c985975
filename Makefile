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

# The regression gate: every labeled set against its committed baseline (eval/baselines/).
# eval/holdout and eval/corpus/test are never tuned on: a loss there is a real loss.
EVAL_SETS ?= cases holdout corpus/dev corpus/test

eval: $(BIN)/grader
	@set -e; for set in $(EVAL_SETS); do \
	  name=$$(echo $$set | tr / -); \
	  echo "== grader eval --cases eval/$$set"; \
	  $(BIN)/grader eval --cases eval/$$set --judge offline -q \
	    --baseline eval/baselines/offline-$$name.json \
	    --json eval/reports/$$name-offline.json --markdown eval/reports/$$name-offline.md; \
	done

bench: $(BIN)/grader
	$(BIN)/python -m bench

app: $(BIN)/grader
	$(BIN)/grader app

clean:
	rm -rf $(VENV) build *.egg-info
