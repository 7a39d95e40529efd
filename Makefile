# Two commands set everything up: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export GX_ANALYTICS_ENABLED := false

# The page test renders report.html in Debian's headless Chromium.
CHROMIUM := /usr/bin/chromium
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: run test lint fuzz install clean bench

install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

run: install
	$(BIN)/mubiao run

test: lint $(CHROMIUM)
	$(BIN)/python -m pytest

# The habits: one format, the linter's rules, and the layers importing one way down (pyproject.toml).
lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# The mutation fuzzer at full size: 500 malformed files beside the bundled zone, the run killed at three
# seeded moments first (tests/test_fuzz.py; `make test` runs 50 files).
fuzz: install
	MUBIAO_FUZZ_FILES=500 MUBIAO_FUZZ_KILLS=3 $(BIN)/python -m pytest tests/test_fuzz.py -q -s

# The benchmark of issue 6 (bench/README.md): SIZE=S (default) or SIZE=M, or tiny.
SIZE ?= S
bench: install
	$(BIN)/python -m bench.run --size $(SIZE)

$(CHROMIUM):
	$(SUDO) apt-get update -q
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium

clean:
	rm -rf $(VENV) mubiao-data
