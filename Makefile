# 雁阵 yanzhen. `make run` and `make test` are all a fresh machine needs.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
export YANZHEN_VAR_DIR ?= $(CURDIR)/var

.PHONY: run test lint typecheck complexity bench venv browser-deps assets messages clean

$(BIN)/yanzhen: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(BIN)/yanzhen

venv: $(BIN)/yanzhen

## Serve the demo county 盐池县 on SQLite at http://127.0.0.1:$(PORT) until Ctrl-C, in demo mode: Django's
## DEBUG stays off (the app's own error pages), development keys. var/yanzhen.env records the demo mode, so
## `.venv/bin/yanzhen ...` typed afterwards, from any folder, works on the same database.
run: venv
	mkdir -p var/static
	printf '# Written by make run: the demo mode for .venv/bin/yanzhen. Delete it to leave demo mode.\nYANZHEN_DEMO=1\n' > var/yanzhen.env
	YANZHEN_DEMO=1 $(BIN)/yanzhen migrate --noinput
	YANZHEN_DEMO=1 $(BIN)/yanzhen demo
	YANZHEN_DEMO=1 $(BIN)/yanzhen runserver 127.0.0.1:$(PORT)

## Lint, system checks, the type check, the complexity gate, migration check and the whole test suite (browser tests included).
test: venv browser-deps
	mkdir -p var
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	YANZHEN_DEBUG=1 $(BIN)/yanzhen check
	$(BIN)/python tools/typecheck.py
	$(BIN)/python tools/complexity.py
	YANZHEN_DEBUG=1 $(BIN)/yanzhen makemigrations --check --dry-run
	$(BIN)/python tools/migrations_from_zero.py
	YANZHEN_DEBUG=1 $(BIN)/pytest -m "not browser" -n auto --dist loadfile
	YANZHEN_DEBUG=1 $(BIN)/pytest -m browser

lint: venv
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools

## Benchmarks (the load test with Locust included); writes docs/benchmarks.md. The code and its data
## generators live in bench/ at the repository root, outside the installed package.
bench: venv
	$(BIN)/pip install -q -e '.[dev,load]'
	PYTHONPATH=$(CURDIR) $(BIN)/python -m bench --write docs/benchmarks.md

## Debian's Chromium for the Playwright browser tests (never a downloaded browser).
browser-deps:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; }

## Refresh the vendored front-end assets from the npm registry (versions pinned in package.json).
assets:
	npm ci --no-audit --no-fund
	mkdir -p src/yanzhen/static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js src/yanzhen/static/vendor/
	cp node_modules/echarts/dist/echarts.min.js src/yanzhen/static/vendor/
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map src/yanzhen/static/vendor/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map src/yanzhen/static/vendor/
	cp node_modules/tom-select/dist/js/tom-select.complete.min.js node_modules/tom-select/dist/js/tom-select.complete.min.js.map src/yanzhen/static/vendor/
	cp node_modules/tom-select/dist/css/tom-select.bootstrap5.min.css node_modules/tom-select/dist/css/tom-select.bootstrap5.min.css.map src/yanzhen/static/vendor/

## Recompile translations after editing src/yanzhen/locale/*/LC_MESSAGES/django.po.
messages: venv
	cd src/yanzhen && YANZHEN_DEBUG=1 ../../$(BIN)/yanzhen compilemessages

## mypy over src/yanzhen, its errors counted per app against mypy-baseline.json (tools/typecheck.py).
typecheck: venv
	$(BIN)/python tools/typecheck.py

## No function above cyclomatic complexity 15 outside the importers (tools/complexity.py, radon).
complexity: venv
	$(BIN)/python tools/complexity.py

clean:
	rm -rf $(VENV) var node_modules
