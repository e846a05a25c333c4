# Two entry points for a fresh machine: `make build` and `make test`.
# Both create .venv and install pinned dependencies when they are missing or changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BYTECODE := $(VENV)/.bytecode
SOURCES := $(wildcard pipeline/*.py pipeline/*/*.py)

.PHONY: build test check lint bench clean

$(STAMP): pyproject.toml requirements-dev.txt constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt \
		-r requirements-dev.txt -e .
	touch $(STAMP)

# `pip install -e .` compiles nothing, and where PYTHONDONTWRITEBYTECODE is set Python never
# saves what it compiles: every command would compile the whole package again (~30 ms).
$(BYTECODE): $(STAMP) $(SOURCES)
	$(BIN)/python -m compileall -q pipeline
	touch $(BYTECODE)

build: $(BYTECODE)
	$(BIN)/pipeline build

check: $(BYTECODE)
	$(BIN)/pipeline check

test: $(STAMP)
	scripts/system-deps
	$(BIN)/ruff check pipeline tests benchmarks
	$(BIN)/python -m pytest

bench: $(BYTECODE)
	benchmarks/run

clean:
	rm -rf $(VENV) output .pytest_cache .ruff_cache
