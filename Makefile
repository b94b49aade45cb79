# make run  — install, migrate, load demo data, start web + worker + beat (Ctrl-C stops all); DEBUG off
# make dev  — the same with Django's debug pages (settings.dev), for development only
# make test — the whole suite on PostgreSQL and Redis (started if installed but stopped)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# pytest-xdist workers for `make test`; each is an isolated run (its own database, queue and cache keys). Three on two
# cores: the browser, process and fault-drill tests spend much of their time waiting, so a third worker fills it.
TEST_WORKERS ?= 3
# Every entry point defaults to production settings; these targets ask for theirs by name.
SETTINGS ?= tongchuan_portal.settings.local
export DJANGO_SETTINGS_MODULE ?= $(SETTINGS)

.PHONY: run dev setup test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed-run: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.installed-run

setup: $(VENV)/.installed-run
	scripts/ensure_fonts.sh
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py collectstatic --noinput -v0

run: setup
	@echo ""
	@echo "铜川市政务公开平台: http://127.0.0.1:$(PORT)/  (健康检查 /healthz, 管理后台 /admin/)"
	@echo ""
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -p $(PORT)

dev:
	$(MAKE) --no-print-directory run DJANGO_SETTINGS_MODULE=tongchuan_portal.settings.dev

node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

test: $(VENV)/.installed-dev
	scripts/ensure_services.sh
	scripts/ensure_fonts.sh
	$(MAKE) --no-print-directory node_modules/axe-core/axe.min.js
	DJANGO_SETTINGS_MODULE=tongchuan_portal.settings.test $(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

clean:
	rm -rf var/ .pytest_cache
