# The front door: `make help` lists every target. Targets create .venv on first use.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The data folder: DATA=DIR, else $RUSTURK_DATA (as for every rusturk command), else data/.
DATA ?= $(or $(RUSTURK_DATA),data)
# `make report DATA=DIR` builds from the folder `make validate` checked; data/ is the build's
# own default and is not passed, so reports built from it keep their fingerprints.
DATA_PARAM = $(if $(filter-out data data/ $(CURDIR)/data,$(DATA)),-p data_dir=$(abspath $(DATA)))

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name rusturk --display-name "Python (rusturk)"
	@# An editable install leaves the package uncompiled; where the environment turns bytecode
	@# off (PYTHONDONTWRITEBYTECODE), every build and kernel would compile it again.
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m compileall -q src
	@# pytest compiles each test module with its assertions rewritten, once, when a run first
	@# imports it: 4.5 s of the first `make test-fast` after a clone, paid here instead.
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest --collect-only -q -p no:cacheprovider tests >/dev/null
	@touch $(STAMP)

.PHONY: help
help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: install
install: $(STAMP) ## create .venv and install the project and its test tools

.PHONY: validate
validate: $(STAMP) ## check the data (DATA=DIR, default data/) and print its summary
	$(BIN)/rusturk validate --data $(DATA)

# Debian's Chromium renders the PDFs; playwright drives it and never downloads a browser.
# Installed with apt-get (as root, or through sudo) only where none is found.
CHROMIUM := $(shell command -v chromium || command -v chromium-browser || command -v google-chrome)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: chromium
chromium: ## install Debian's Chromium, fonts and poppler-utils (the PDF checks), if missing
ifeq ($(CHROMIUM),)
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
		chromium fonts-dejavu-core fonts-liberation poppler-utils
else
	@echo "Chromium: $(CHROMIUM)"
endif

.PHONY: report
report: validate chromium ## build every report of reports.yaml from DATA into reports/ (skips what is current)
	$(BIN)/rusturk build $(DATA_PARAM) $(BUILD_ARGS)

.PHONY: report-force
report-force: validate chromium ## rebuild every report even if its inputs are unchanged
	$(BIN)/rusturk build --force $(DATA_PARAM) $(BUILD_ARGS)

# Three tiers, as PUDL separates them: unit tests on hand-made data (seconds), checks of the
# bundled data folder, then the tests that execute notebooks, build reports into temporary
# folders or read generated event streams end to end. Each tier runs on every CPU
# (pytest-xdist); the slow tier names each test as it goes, with its time, so a long wait
# always says what it is waiting for. Each module goes whole to one worker (--dist loadscope,
# loadfile): a module's fixtures are made once (the slow tier's build its reports), and a
# library only a few modules use is imported by one.
PYTEST_WORKERS ?= auto
# Bytecode cached between runs, even where the environment turns it off (PYTHONDONTWRITEBYTECODE):
# compiling the package and rewriting the tests' asserts anew costs each worker seconds.
PYTEST := PYTHONDONTWRITEBYTECODE= $(BIN)/pytest
FAST := -m "not slow and not data" --ignore=tests/integration -n $(PYTEST_WORKERS) --dist loadfile -q
DATA_TIER := -m "data" --ignore=tests/integration -n $(PYTEST_WORKERS) -q

.PHONY: test
test: $(STAMP) chromium ## run every test: the unit tier, the data tier, then the slow tier
	$(PYTEST) $(FAST)
	$(PYTEST) $(DATA_TIER)
	RUSTURK_REQUIRE_CHROMIUM=1 $(PYTEST) -m "slow" -n $(PYTEST_WORKERS) --dist loadscope -v --durations=10

.PHONY: test-fast
test-fast: $(STAMP) ## run the unit tests only (hand-made data, seconds)
	$(PYTEST) $(FAST)

.PHONY: test-data
test-data: $(STAMP) ## run the checks of the bundled data folder (beyond what validate checks)
	$(PYTEST) $(DATA_TIER)

# Mutants of analysis/ and data/validate.py, each run against the fast unit tests that reach
# the mutated function ([tool.mutmut] in pyproject.toml); results stay in mutants/. Hours on
# two cores, so CI does not run it: MUTANTS= limits it, e.g. MUTANTS='rusturk.analysis.cost.*'.
.PHONY: mutation
mutation: $(STAMP) ## mutation score of analysis/ and data/validate.py (slow; not run by CI)
	nice $(BIN)/mutmut run $(MUTANTS)
	$(BIN)/mutmut export-cicd-stats && cat mutants/mutmut-cicd-stats.json

.PHONY: lint
lint: $(STAMP) ## ruff; the data dictionary and data package current and valid; the CI workflow
	$(BIN)/ruff check src tests benchmarks scripts conftest.py
	$(BIN)/rusturk dictionary --check
	$(BIN)/frictionless validate data/datapackage.json
	$(BIN)/actionlint -no-color -shellcheck=$(BIN)/shellcheck .github/workflows/*.yml

.PHONY: hooks
hooks: $(STAMP) ## run the pre-commit hooks on every file
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/pre-commit run --all-files

.PHONY: dictionary
dictionary: $(STAMP) ## regenerate data/README.md and data/datapackage.json from the schema
	$(BIN)/rusturk dictionary

KERNEL := $(VENV)/share/jupyter/kernels/rusturk/kernel.json

# The venv as the Jupyter kernel "rusturk", registered inside the venv so papermill finds it.
$(KERNEL): | $(STAMP)
	$(BIN)/python -m ipykernel install --sys-prefix --name rusturk --display-name "Python (rusturk)"

.PHONY: lab
lab: $(KERNEL) ## open the notebooks in JupyterLab (PORT=8890, LAB_ARGS='--no-browser')
	$(BIN)/jupyter lab notebooks/ $(if $(PORT),--port=$(PORT)) \
		$(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

.PHONY: bench
bench: $(STAMP) chromium ## time the build like for like against the stock pipeline, and the stream reader
	$(BIN)/python benchmarks/build_benchmark.py
	$(BIN)/python benchmarks/stream_benchmark.py

.PHONY: clean
clean: ## remove built reports, caches and the virtual environment
	find reports -mindepth 1 ! -name README.md ! -name .gitignore -delete 2>/dev/null || true
	rm -rf $(VENV) .pytest_cache .ruff_cache build src/*.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
