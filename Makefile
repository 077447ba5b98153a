# make demo: install, migrate, load the demo and serve it at http://127.0.0.1:8000
# make test: install and run the whole test suite (DATABASE_URL selects the database)
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?= -n 2 --dist loadfile

.PHONY: install demo serve test matrix lint bench messages clean

$(VENV)/.installed: requirements.lock pyproject.toml
	@PYTHON="$${PYTHON:-$$(scripts/find-python)}" || exit 1; \
	  echo "Using $$PYTHON"; \
	  [ -x "$(PY)" ] || "$$PYTHON" -m venv "$(VENV)" || exit 1
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

install: $(VENV)/.installed messages

# axe-core for the browser tests' accessibility checks, pinned by package-lock.json (only
# `make test` needs it: the demo runs without Node.js).
node_modules/axe-core/axe.min.js: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: install Node.js (apt-get install nodejs npm)." >&2; exit 1; }
	npm ci --no-audit --no-fund
	@touch $@

messages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || { echo "msgfmt not found: install GNU gettext (apt-get install gettext)." >&2; exit 1; }
	$(PY) manage.py compilemessages --ignore '.venv' --ignore 'node_modules' --verbosity 0

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --address http://$(HOST):$(PORT)
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install node_modules/axe-core/axe.min.js
	$(PY) -m pytest $(PYTEST_ARGS) -m "not concurrency and not browser and not packaging"
	$(PY) -m pytest -m "concurrency or browser"

# The Django/Wagtail matrix (noxfile.py): the LTS combination besides make test's default one.
matrix: install node_modules/axe-core/axe.min.js
	$(VENV)/bin/nox -s "tests(lts)"

# ruff; the architecture contracts (.importlinter); then the apps' use of Django, Wagtail, DRF,
# drf-spectacular and ReportLab: public, documented names only (scripts/check_public_apis.py).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) scripts/check_public_apis.py

bench: install
	$(PY) benchmarks/run.py
	$(PY) benchmarks/run_quiz.py
	$(PY) benchmarks/certificates.py
	$(PY) benchmarks/reports.py

clean:
	rm -rf $(VENV) .nox .pytest_cache .test-media node_modules
