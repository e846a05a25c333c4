# Two entry points for a fresh machine: `make build` and `make test`.
# Both create .venv and install pinned dependencies when they are missing or changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test check lint bench clean

$(STAMP): pyproject.toml requirements-dev.txt constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt \
		-r requirements-dev.txt -e .
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/pipeline build

check: $(STAMP)
	$(BIN)/pipeline check

test: $(STAMP)
	scripts/system-deps
	$(BIN)/ruff check pipeline tests benchmarks
	$(BIN)/python -m pytest

bench: $(STAMP)
	benchmarks/run

clean:
	rm -rf $(VENV) output .pytest_cache .ruff_cache
