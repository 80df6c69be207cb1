# Recoup — `make up` (local stack, foreground, Ctrl-C stops it) and `make test`.
# Both create .venv on first use and install exactly the locked dependencies
# (requirements/dev.txt, hash-checked), then the project's own packages without dependencies.
# `make lock` re-locks after a dependency is added or changed in a pyproject.toml or
# requirements-dev.txt (requirements/lock.py).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.recoup-installed
SERVICES_LIST := $(VENV)/.recoup-services
# Every service with a pyproject.toml is installed: a new service needs no edit here.
SERVICE_PROJECTS := $(sort $(wildcard services/*/pyproject.toml))
SERVICE_DIRS := $(patsubst %/,%,$(dir $(SERVICE_PROJECTS)))
LOCK := requirements/dev.txt
INSTALL_INPUTS := $(LOCK) shared/pyproject.toml deploy/local/pyproject.toml $(SERVICE_PROJECTS)
# intake's hot modules, compiled in place with mypyc (services/intake/setup.py, compiled.txt)
COMPILED_LIST := services/intake/compiled.txt
COMPILED_SOURCES := $(addprefix services/intake/,$(shell grep '^recoup_intake/.*\.py$$' $(COMPILED_LIST)))
COMPILED_STAMP := $(VENV)/.recoup-compiled
BASE_PYTHON := $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)
ARGS ?=

.PHONY: help venv up test bench lock clean distclean console-api system-packages FORCE

help:
	@echo "make up         local stack in the foreground: PostgreSQL, Tansu, every service (Ctrl-C stops it)"
	@echo "make test       all tests, on a throw-away stack of their own (runs beside make up)"
	@echo "make bench      benchmarks (bench/bench_*.py)"
	@echo "make lock       re-pin the dependencies with hashes (requirements/); ARGS=--upgrade for newest"
	@echo "make console-api  regenerate the console's API types from the services' OpenAPI"
	@echo "make clean      remove local data (.local/) and caches; make distclean also removes .venv"
	@echo "ARGS='...'      extra arguments, e.g. make test ARGS='-k intake -x'"

venv: $(STAMP) $(COMPILED_STAMP)

$(PY):
	@test -n "$(BASE_PYTHON)" || { echo "make: Python 3.11 is needed (python3.11 or python3 on PATH)" >&2; exit 1; }
	@$(BASE_PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || { \
	  echo "make: $(BASE_PYTHON) is Python $$($(BASE_PYTHON) -c 'import platform; print(platform.python_version())'); Recoup needs 3.11" >&2; exit 1; }
	$(BASE_PYTHON) -m venv $(VENV)

# Rewritten only when the set of services changes, so a new service triggers an install.
$(SERVICES_LIST): FORCE | $(PY)
	@echo '$(SERVICE_DIRS)' | cmp -s - $@ || echo '$(SERVICE_DIRS)' > $@

# Re-install only when the lock or a project is newer than the last install. The lock first, every
# file checked against its hash (pip refuses anything unpinned or unhashed, so the lock must be
# complete); then the project's packages, editable, with no dependencies of their own and built
# with the locked setuptools (no build isolation: nothing unpinned is fetched).
$(STAMP): $(INSTALL_INPUTS) $(SERVICES_LIST) | $(PY)
	@echo "installing: $(LOCK) (hash-checked), then shared deploy/local $(SERVICE_DIRS)"
	PYTHONWARNINGS=ignore $(PY) -m pip install --quiet --disable-pip-version-check \
	  --require-hashes -r $(LOCK)
	RECOUP_COMPILE=0 PYTHONWARNINGS=ignore $(PY) -m pip install --quiet --disable-pip-version-check \
	  --no-deps --no-build-isolation -e shared -e deploy/local $(addprefix -e ,$(SERVICE_DIRS))
	@touch $@

# Compiled after the install, and again whenever one of the modules changes (until then the
# sources run: recoup_intake/_compiled.py).
$(COMPILED_STAMP): $(STAMP) $(COMPILED_LIST) $(COMPILED_SOURCES) services/intake/setup.py
	@echo "compiling intake's hot modules with mypyc ($(COMPILED_LIST))"
	cd services/intake && PYTHONWARNINGS=ignore ../../$(PY) setup.py --quiet build_ext --inplace > /dev/null
	@touch $@

# Debian packages the stack and its tests need (chromium for the console's browser tests).
system-packages:
	@deploy/local/system-packages.sh

up: venv system-packages
	$(VENV)/bin/recoup up $(ARGS)

test: venv system-packages
	@VENV=$(VENV) deploy/k8s/tools/ensure-kustomize.sh
	$(PY) -m pytest $(ARGS)

console-api: venv
	$(VENV)/bin/recoup console api-types

bench: venv
	$(PY) -m bench $(ARGS)

# Re-pin after changing a declared dependency (then commit requirements/); see requirements/lock.py.
lock: $(STAMP)
	$(PY) requirements/lock.py $(ARGS)
	@echo "now: make test (tests/test_lock.py checks the locks against the declarations)"

FORCE:

clean:
	@if [ -f .local/run/recoup-up.json ] && kill -0 "$$(sed -E 's/.*"launcher": *\{"pid": *([0-9]+).*/\1/' .local/run/recoup-up.json)" 2>/dev/null; then \
	  echo "make clean: a 'recoup up' is running; stop it first (Ctrl-C in its terminal)" >&2; exit 1; fi
	rm -rf .local .pytest_cache .hypothesis .bench
	find . -path ./.venv -prune -o -type d \( -name __pycache__ -o -name '*.egg-info' \) -prune -exec rm -rf {} +
	rm -rf services/intake/build services/intake/recoup_intake/compiled-sources.json $(COMPILED_STAMP)
	find services -name '*.so' -delete

distclean: clean
	rm -rf $(VENV)
