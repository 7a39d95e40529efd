# Two commands set everything up: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export GX_ANALYTICS_ENABLED := false

# The page test renders report.html in Debian's headless Chromium; the disk-fault test compiles its shim with gcc.
CHROMIUM := /usr/bin/chromium
GCC := /usr/bin/gcc
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: run test lint lock wheel fuzz install clean bench

# The development environment, from the hashed lock alone (runtime, the dask extra and the test tools), then
# mubiao itself, editable. requirements.lock is the runtime's part, for an office installing the wheel.
install: $(VENV)/.installed

$(VENV)/.installed: requirements-pip.lock requirements-dev.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-pip.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

# The locks again from pyproject.toml, keeping their pins (add --upgrade-package NAME to move one). pip has a
# lock of its own, installed first: the pip of Python 3.11's venv (23.2) refuses a hashed lock whose packages
# ask for extras (prefect's httpx[http2]).
LOCK := $(BIN)/uv pip compile --universal --python-version 3.11 --generate-hashes --custom-compile-command "make lock"
lock: install
	echo "pip==26.3" | $(LOCK) - -o requirements-pip.lock
	$(LOCK) pyproject.toml -o requirements.lock
	$(LOCK) pyproject.toml --extra dask --extra test -c requirements.lock -o requirements-dev.lock

run: install
	$(BIN)/mubiao run

test: lint $(CHROMIUM) $(GCC)
	$(BIN)/python -m pytest

# The wheel an office installs (README, "The tool alone"), into dist/.
wheel: install
	$(BIN)/pip wheel --quiet --disable-pip-version-check --no-deps --no-build-isolation -w dist .

# The habits: one format, the linter's rules, the layers importing one way down, and every third-party
# import declared in pyproject.toml, every declared package used (deptry).
lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/deptry .

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

$(GCC):
	$(SUDO) apt-get update -q
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q gcc

clean:
	rm -rf $(VENV) mubiao-data build dist
