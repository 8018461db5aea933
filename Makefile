# sanpin: `make run` sets everything up and serves the system; `make test` runs the whole suite.
# Both are idempotent: a second run only does what changed.

PYTHON  ?= python3
VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
HOST    ?= 127.0.0.1
PORT    ?= 8000
export DJANGO_SETTINGS_MODULE := config.settings

# Debian packages the project needs: a CJK font (certificates, screenshots), Pango for WeasyPrint
# (certificate PDFs) and Chromium for the
# browser tests. Installed when running as root; otherwise the exact command is printed.
SYSTEM_PACKAGES := fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 chromium wrk pgbouncer

.PHONY: run test test-fast lint setup sysdeps data serve clean-db bench

run: setup data serve

setup: sysdeps $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

sysdeps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing system packages:$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "Missing system packages:$$missing. Install them with:"; \
	    echo "  sudo apt-get install -y$$missing"; \
	  fi; \
	fi

data: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_regions
	$(PY) manage.py load_holidays
	$(PY) manage.py load_demo
	$(PY) manage.py load_demo_applications
	$(PY) manage.py load_demo_gi
	$(PY) manage.py load_demo_compliance
	$(PY) manage.py load_demo_sampling
	$(PY) manage.py load_demo_bases
	$(PY) manage.py load_demo_targets
	$(PY) manage.py load_demo_credit_bank
	$(PY) manage.py load_demo_credit
	$(PY) manage.py load_demo_market
	$(PY) manage.py load_demo_promotion
	$(PY) manage.py load_demo_knowledge
	$(PY) manage.py load_demo_inputs

serve: $(STAMP)
	@echo "sanpin is at http://$(HOST):$(PORT)/  (demo accounts: see README, password sanpin-demo)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	SANPIN_TESTING=1 $(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py spectacular --validate --fail-on-warn --file var/openapi.yaml

# Every benchmark in bench/ on the local PostgreSQL, each on a throwaway database, writing
# bench/RESULTS.md and bench/RESULTS.json (see bench/README.md). `make bench BENCH_ARGS=--small`
# is a smoke run of a few minutes.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/sanpin_bench
BENCH_ARGS ?=
bench: setup
	@set -e; for script in bench/*.py; do echo "== $$script"; \
	  DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) $$script $(BENCH_ARGS); done

clean-db:
	rm -f var/sanpin.sqlite3 var/sanpin.sqlite3-wal var/sanpin.sqlite3-shm
