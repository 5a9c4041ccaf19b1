SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules

PYTHON_BOOT ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: help venv sources reproduce check test bench mutation mutation-code lock clean

# Open-access source texts that a package index publishes, downloaded (never committed) into .sources/
# so that every quote of the papers built on them is checked, in CI too. Each: file, package, path, sha256.
SOURCES := .sources
FLUGE := $(SOURCES)/journal.pone.0026358.xml
FLUGE_SHA256 := 89ef4a8e8981d081501873806f4c81bc7414c86fde089197161e6d8770d2d146

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --require-virtualenv -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

venv: $(STAMP) ## Build the virtual environment from the pinned versions in requirements.lock

$(FLUGE): | $(STAMP)
	rm -rf $(SOURCES)/download && mkdir -p $(SOURCES)/download
	$(PY) -m pip download --quiet --disable-pip-version-check --no-deps --no-binary :all: -d $(SOURCES)/download allofplos==0.11.0
	tar -xzf $(SOURCES)/download/allofplos-0.11.0.tar.gz -O allofplos-0.11.0/allofplos/starter_corpus/journal.pone.0026358.xml > $@.part
	echo "$(FLUGE_SHA256)  $@.part" | sha256sum --check --quiet
	mv $@.part $@ && rm -rf $(SOURCES)/download

sources: $(FLUGE) ## Download the open-access source texts (Fluge 2011, PLoS ONE, from the allofplos 0.11.0 sdist) into .sources/

reproduce: $(STAMP) $(FLUGE) ## Validate the datasets, recompute every published number, write results/, figures/ and the report
	$(PY) -m reanalysis reproduce

check: $(STAMP) $(FLUGE) ## Exit 0 when every claim's verdict equals its audited verdict, 1 otherwise
	$(PY) -m reanalysis check

test: $(STAMP) $(FLUGE) ## Run the whole test suite (what CI runs)
	$(PY) -m pytest

bench: $(STAMP) ## Time check and reproduce beside the import floor, and a synthetic 10/100/1,000-paper scaling run
	$(PY) -m reanalysis.bench

mutation: $(STAMP) ## Full data-mutation sweep: perturb every transcribed cell, report what the claims detect
	$(PY) -m reanalysis.mutation datasets

mutation-code: $(STAMP) ## Mutate rounding, statistics and verdict code with mutmut (about an hour on 2 cores); list survivors
	$(PY) -m pip install --quiet --disable-pip-version-check mutmut==3.8.1
	rm -rf mutants
	$(VENV)/bin/mutmut run --max-children 2 > /dev/null || true
	$(VENV)/bin/mutmut results

lock: ## Re-resolve the newest versions and rewrite requirements.lock (deliberate upgrades only)
	rm -rf .lockenv
	$(PYTHON_BOOT) -m venv .lockenv
	.lockenv/bin/python -m pip install --quiet --upgrade pip setuptools wheel
	.lockenv/bin/python -m pip install --quiet scipy statsmodels pandas matplotlib pytest hypothesis
	{ echo "# Pinned versions for the virtual environment that 'make venv' builds (runtime + test)."; \
	  echo "# Regenerate deliberately with 'make lock'; never edit by hand."; \
	  .lockenv/bin/python -m pip freeze --all | grep -v -E '^pip=='; } > requirements.lock
	rm -rf .lockenv

clean: ## Remove the virtual environment and caches (keeps the committed results)
	rm -rf $(VENV) .pytest_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
