# Kompetenceløft. `make run` serves the site, `make test` runs the whole suite;
# both install whatever is missing first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
VENDOR := static/vendor/dkfds/VERSION
PO     := $(wildcard matcher/translations/*/LC_MESSAGES/*.po)
MO     := $(PO:.po=.mo)
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test install install-dev assets translations lint messages clean bench eval

run: install assets translations
	$(FLASK) db upgrade
	$(FLASK) catalog load --if-empty course_catalog
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install-dev assets translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev
assets: $(VENDOR)
translations: $(MO)

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

$(VENDOR): package.json package-lock.json scripts/vendor_dkfds.py
	npm ci --no-audit --no-fund --loglevel=error
	$(PYTHON) scripts/vendor_dkfds.py

%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@ >/dev/null

lint: install-dev
	$(BIN)/ruff check matcher tests scripts
	$(BIN)/mypy --strict --follow-imports=silent matcher/engine

# After changing user-facing text: extract it and merge it into the translations. Two
# domains: `messages` (pages, forms) and `reasons` (the texts in matcher/data/reasons.py).
messages: install-dev
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		--project Kompetenceløft --copyright-holder "Herning Kommune" \
		--omit-header -o matcher/translations/messages.pot .
	$(BIN)/pybabel update -i matcher/translations/messages.pot -d matcher/translations \
		--omit-header --width 100 --ignore-obsolete
	$(BIN)/pybabel extract --no-default-keywords -k N_ --no-location --sort-output \
		--project Kompetenceløft --copyright-holder "Herning Kommune" \
		--omit-header -o matcher/translations/reasons.pot matcher/data/reasons.py
	$(BIN)/pybabel update -D reasons -i matcher/translations/reasons.pot -d matcher/translations \
		--omit-header --width 100 --ignore-obsolete

clean:
	rm -rf $(VENV) node_modules static/vendor $(MO)

# Engine benchmarks on seeded synthetic catalogues; prints JSON, writes bench/results.json.
bench: install-dev
	$(BIN)/python bench/run.py

# Judged personas (tests/personas/) through the same code as `flask match`; prints one line
# per persona and `advice: N/M personas hold`, exit code 1 unless all hold.
eval: install-dev
	$(BIN)/python -m tests.personas.evaluate
