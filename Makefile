# Two commands: `make run` starts everything, `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
FRONTEND_SOURCES := $(shell find frontend/src -type f 2>/dev/null) frontend/vite.config.ts frontend/tsconfig.json

.PHONY: run test install frontend test-python test-frontend clean

run: install frontend
	$(PY) manage.py serve

test: install frontend test-frontend test-python

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

frontend: frontend/dist/manifest.json

frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund

frontend/dist/manifest.json: frontend/node_modules/.package-lock.json $(wildcard $(FRONTEND_SOURCES))
	cd frontend && npm run build

test-frontend: frontend/node_modules/.package-lock.json
	cd frontend && npm test

test-python: install frontend
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) -m pytest

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist
