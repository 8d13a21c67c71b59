# The front door: `make help` lists every target. Targets create .venv on first use.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA ?= data

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	@touch $(STAMP)

.PHONY: help
help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: install
install: $(STAMP) ## create .venv and install the project and its test tools

.PHONY: validate
validate: $(STAMP) ## check the data (DATA=data by default) and print its summary
	$(BIN)/rusturk validate --data $(DATA)

.PHONY: report
report: validate ## build the reports (for now: validate the data and print its summary)

.PHONY: test
test: $(STAMP) ## run every test (unit tests, then notebook and build tests)
	$(BIN)/pytest

.PHONY: test-fast
test-fast: $(STAMP) ## run the fast unit tests only
	$(BIN)/pytest -m "not slow"

.PHONY: lint
lint: $(STAMP) ## check code style with ruff and that the data dictionary is current
	$(BIN)/ruff check src tests
	$(BIN)/rusturk dictionary --check

.PHONY: dictionary
dictionary: $(STAMP) ## regenerate data/README.md from the schema
	$(BIN)/rusturk dictionary

.PHONY: lab
lab: $(STAMP) ## open the notebooks in JupyterLab
	$(BIN)/jupyter lab notebooks/

.PHONY: clean
clean: ## remove built reports, caches and the virtual environment
	find reports -mindepth 1 ! -name README.md ! -name .gitignore -delete 2>/dev/null || true
	rm -rf $(VENV) .pytest_cache .ruff_cache build src/*.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
