# Two entry points: `make run` and `make test`. Everything they need is installed
# inside this checkout (.venv, node_modules), so a fresh clone works with only
# Python 3.11+ and make; re-runs reuse what is already installed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
NODE_DIR := tests/interop/node
OB2_VENV := .venv-ob2

.PHONY: run test lint typecheck install dev node ob2validator system browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

$(NODE_DIR)/node_modules/.installed: $(NODE_DIR)/package-lock.json
	cd $(NODE_DIR) && npm ci --silent --no-audit --no-fund
	touch $@

# The IMS Open Badges 2.0 validator (PyPI openbadges 1.1.2) for the interop tests, in
# its own virtual environment: it pins old libraries. Its pycryptodome 3.6.6 does not
# build on Python 3.11, so a later 3.x goes over it.
$(OB2_VENV)/.installed:
	$(PYTHON) -m venv $(OB2_VENV)
	$(OB2_VENV)/bin/pip install --quiet 'openbadges==1.1.2'
	$(OB2_VENV)/bin/pip install --quiet --no-deps --force-reinstall 'pycryptodome>=3.7,<4'
	touch $@

# PostgreSQL from Debian's packages for the service tests (the tests start and
# stop their own throwaway cluster); installed once, only when missing.
system:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  echo "installing PostgreSQL from Debian's packages"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }

# Chromium from Debian's packages for the browser tests (Playwright drives it; never a
# downloaded browser build); installed once, only when missing.
browser:
	@command -v chromium >/dev/null || { \
	  echo "installing Chromium from Debian's packages"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

install: $(VENV)/.installed
dev: $(VENV)/.installed-dev
node: $(NODE_DIR)/node_modules/.installed
ob2validator: $(OB2_VENV)/.installed

run: install
	$(BIN)/merkki serve

lint: dev
	$(BIN)/ruff check badges issuer tests benchmarks
	$(BIN)/ruff format --check badges issuer tests benchmarks

typecheck: dev
	$(BIN)/mypy

test: dev node ob2validator system browser lint typecheck
	MERKKI_REQUIRE_POSTGRES=1 MERKKI_REQUIRE_BROWSER=1 $(BIN)/pytest

clean:
	rm -rf $(VENV) $(OB2_VENV) $(NODE_DIR)/node_modules .mypy_cache .ruff_cache .pytest_cache
