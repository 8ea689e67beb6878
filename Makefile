# OpenCEM: two commands on a fresh machine.
#   make run   set up, migrate, seed the demo tenant, start web + worker + beat on $(PORT)
#   make test  set up and run the whole test suite (lint, architecture, pytest)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
STAMP  := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)

.PHONY: run test install lint migrate seed bench clean messages

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

run: export DEBUG ?= 1
run: install
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo ""
	@echo "  OpenCEM is starting on http://127.0.0.1:$(PORT)/"
	@echo "  Demo logins (password opencem-demo): admin, manager, logistics, viewer"
	@echo "  API docs: http://127.0.0.1:$(PORT)/api/docs/   Health: http://127.0.0.1:$(PORT)/healthz"
	@echo "  Ctrl-C stops web, worker and beat."
	@echo ""
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" WEB_PORT=$(PORT) $(VENV)/bin/honcho start -f Procfile

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

test: export DEBUG ?= 1
test: install lint
	$(PY) -m pytest $(PYTEST_ARGS)

# Refresh and compile the zh_Hans catalogues: `make messages` (all) or `make messages PART=voice`.
messages: install
	$(PY) bin/messages $(PART)

bench: install
	@ls bench/*.py | sed 's/^/  /'; echo "run one with: $(PY) bench/<script>.py"

clean:
	rm -rf $(VENV) var/*.sqlite3* var/broker var/cache staticfiles
