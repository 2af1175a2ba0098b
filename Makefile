# The two commands in the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app portal
STAMP := $(VENV)/.installed
HOST := 127.0.0.1
PORT := 5000

.PHONY: install run test bench audit clean

$(STAMP): setup.cfg pyproject.toml requirements/constraints.txt
	$(PYTHON) -m venv $(VENV) || { scripts/system-deps.sh venv && $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## Set everything up on SQLite with demo data, then serve on http://127.0.0.1:5000 with the queue's worker
run: install
	$(FLASK) db upgrade
	$(FLASK) content load
	$(FLASK) demo seed
	@echo
	@echo "The portal is at http://$(HOST):$(PORT)  (Ctrl+C stops it)"
	@echo "Sign in as learner1@example.org, facilitator@example.org or admin@example.org"
	scripts/run-dev.sh $(HOST) $(PORT)

## Install what the tests need, then run the suite on SQLite and on PostgreSQL, browser tests included
test: install
	scripts/system-deps.sh
	scripts/test.sh

## Measure the portal against a minimal Flask ceiling under load (figures in bench/results.json)
bench: install
	command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(PY) bench/run_bench.py

## Check the locked dependencies against a vulnerability database (needs network access to one; not in `make test`)
audit: install
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt pip-audit
	$(VENV)/bin/pip-audit --strict -r requirements/constraints.txt

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
