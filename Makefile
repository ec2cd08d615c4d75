# Commonroom: `make run` serves the platform, `make test` runs every test.
# Only Python >= 3.11 and make are needed; everything else is installed here.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
export VAR_DIR ?= $(CURDIR)/var
MANAGE := $(BIN)/python manage.py

.PHONY: run test faults deps deps-dev system-deps lint format migrate messages bench clean help \
	cluster cluster-stop cluster-deps load load-faults

help:
	@echo "make run    install, migrate, load demo data, serve http://127.0.0.1:8000 (BIND=host:port) with the worker"
	@echo "make test   install test tools and run the whole suite (DATABASE_URL picks the database)"
	@echo "make lint   ruff, mypy and the migrations check"
	@echo "make faults the fault tests: outages of Redis and PostgreSQL under load, the cluster (~5 min)"
	@echo "make cluster  the scale-out mode on this machine behind nginx (https://localhost:8443)"
	@echo "make load     Locust against a running cluster (USERS, MINUTES); make load-faults with faults"

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# Installs only when the lock file changed since the last install.
$(VENV)/.base-installed: requirements/base.lock | $(BIN)/uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements/base.lock
	@touch $@

$(VENV)/.dev-installed: requirements/dev.lock $(VENV)/.base-installed
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements/dev.lock
	@touch $@

# tantivy, the benchmark's side-by-side baseline (bench/baselines.py), for
# `make bench` and the tests of the bench code: never a dependency of the
# product (deps, make run).
$(VENV)/.bench-installed: requirements/bench.lock $(VENV)/.base-installed
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements/bench.lock
	@touch $@

deps: $(VENV)/.base-installed
deps-dev: $(VENV)/.dev-installed $(VENV)/.bench-installed

$(VAR_DIR)/secret_key:
	@mkdir -p $(VAR_DIR)
	@umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	@chmod 600 $@
	@echo "Generated a secret key in $@"

# Debian packages the tests need: libmagic for file sniffing, Chromium for
# the browser journeys. Installed only when missing and only as root.
system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	ldconfig -p 2>/dev/null | grep -q libmagic.so.1 || missing="$$missing libmagic1"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing fonts-dejavu-core >/dev/null; \
	  else \
	    echo "Missing Debian packages:$$missing (install them, or browser tests are skipped)"; \
	  fi; \
	fi

migrate: deps $(VAR_DIR)/secret_key
	@$(MANAGE) migrate --noinput -v 0
	@$(MANAGE) createcachetable -v 0

# BIND: where gunicorn listens; settings.py derives SITE_URL (the links in
# mails and the terms) from it, so both must see the same value.
run: export HTTPS ?= false
run: export BIND ?= 127.0.0.1:8000
run: migrate
	@$(MANAGE) collectstatic --noinput -v 0
	@$(MANAGE) demo_data --if-empty
	@echo ""
	@echo "Commonroom: $${SITE_URL:-http://$$BIND}  (staff pages: /staff/members/, admin: /admin/)"
	@echo "Mails, such as sign-up verification links, are printed below. Ctrl-C stops everything."
	@echo ""
	@scripts/serve

# axe-core and Lighthouse (package.json) for tests/browser/test_axe.py and
# bench/lighthouse.py, and s3rver, the cluster's S3 server (make cluster,
# tests/faults/test_cluster.py): `npm ci` only when the lock changed and only
# where npm exists (without it the axe test is skipped and says so, and the
# cluster cannot start). Never a browser.
node_modules/.installed: package-lock.json
	@if command -v npm >/dev/null; then \
	  PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm is missing: the axe-core test will be skipped"; fi

test: deps-dev system-deps node_modules/.installed $(VAR_DIR)/secret_key
	$(BIN)/pytest -n auto --dist loadgroup

# The fault tests (tests/faults, skipped by `make test`): the site served by
# scripts/serve on a PostgreSQL cluster and a Redis of their own (free ports;
# never the shared servers), Redis stopped for 10 s and PostgreSQL restarted
# under writes; processes killed and started again. They print their figures.
# Need PostgreSQL's server programs and redis-server; the cluster test
# (tests/faults/test_cluster.py) nginx (cluster-deps) and s3rver (node_modules).
faults: deps-dev cluster-deps node_modules/.installed $(VAR_DIR)/secret_key
	$(BIN)/pytest -p no:xdist -m faults -s -q tests/faults

lint: deps-dev $(VAR_DIR)/secret_key
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy commonroom tests
	$(MANAGE) makemigrations --check --dry-run

format: deps-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: deps-dev
	cd commonroom && ../$(BIN)/django-admin makemessages -l nl -l en --no-obsolete -i "static/*"
	cd commonroom && ../$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) $(VAR_DIR)/static

# The search benchmark (bench/README.md) in its own database: SQLite in
# BENCH_VAR_DIR, and PostgreSQL as well when DATABASE_URL is set (point it at
# a benchmark database). The corpus is generated once, when the database is
# empty; QUERIES=FILE.json runs a given query set, BENCH_ARGS passes options
# (--no-baselines leaves out tantivy and plain SQL).
BENCH_VAR_DIR ?= /tmp/bench-var
BENCH_RESOURCES ?= 100000
BENCH_MEMBERS ?= 250000
BENCH_ARGS ?=
BENCH_RUN = $(MANAGE) migrate --noinput -v 0 \
	&& $(MANAGE) bench_data --if-empty --resources $(BENCH_RESOURCES) --members $(BENCH_MEMBERS) \
	   --with bench/relevance/documents.jsonl \
	&& $(BIN)/python bench/search_bench.py $(if $(QUERIES),--queries $(QUERIES)) $(BENCH_ARGS)

bench: deps $(VENV)/.bench-installed
	@mkdir -p $(BENCH_VAR_DIR)
	@[ -f $(BENCH_VAR_DIR)/secret_key ] || (umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $(BENCH_VAR_DIR)/secret_key)
	@VAR_DIR=$(BENCH_VAR_DIR) $(MANAGE) collectstatic --noinput -v 0
	env -u DATABASE_URL VAR_DIR=$(BENCH_VAR_DIR) sh -c '$(BENCH_RUN)'
	@if [ -n "$$DATABASE_URL" ]; then VAR_DIR=$(BENCH_VAR_DIR) sh -c '$(BENCH_RUN)'; fi

# --- the local cluster (deploy/cluster/cluster.py, docs/operations.md) -------
# Locust in a venv of its own (requirements/load.lock), for make load and
# load-faults. The cluster's S3 server is s3rver (package.json).
LOAD_VENV := .venv-load
$(LOAD_VENV)/.installed: requirements/load.lock | $(BIN)/uv
	@[ -x $(LOAD_VENV)/bin/python ] || $(BIN)/uv venv --quiet --python $(BIN)/python $(LOAD_VENV)
	$(BIN)/uv pip install --quiet --python $(LOAD_VENV)/bin/python -r requirements/load.lock
	@touch $@

# nginx, PostgreSQL's server programs, Redis and npm (for s3rver): installed
# only when missing and only as root (as system-deps does).
cluster-deps:
	@missing=""; \
	command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing="$$missing nginx-light"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	[ -x /usr/lib/postgresql/15/bin/initdb ] || missing="$$missing postgresql-15"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Missing Debian packages:$$missing (install them first)"; exit 1; \
	  fi; \
	fi

# Stays in the foreground; Ctrl-C or `make cluster-stop` stops every part.
# CLUSTER_PORT moves all ports (nginx on it, the others above it).
cluster: deps-dev cluster-deps node_modules/.installed $(VAR_DIR)/secret_key
	@$(BIN)/python deploy/cluster/cluster.py run

cluster-stop:
	@$(BIN)/python deploy/cluster/cluster.py stop

# Against a running `make cluster`: USERS simulated members for MINUTES.
USERS ?= 200
MINUTES ?= 10
load: deps-dev $(LOAD_VENV)/.installed
	$(BIN)/python tests/load/run.py --users $(USERS) --minutes $(MINUTES)

# The same load with the five faults (tests/load/faults.py), then the checks.
load-faults: deps-dev $(LOAD_VENV)/.installed
	$(BIN)/python tests/load/run.py --users $(USERS) --minutes $(MINUTES) --faults
