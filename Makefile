# Two commands set everything up on a fresh Debian machine with Python:
#   make demo   the main job, end to end, on the embedded local wiki
#   make test   lint, types and every test suite (unit, state store on SQLite and MariaDB,
#               real local MediaWiki)
# Each installs what it needs (Debian packages when missing, a .venv, the project) and is quick
# when everything is already there.

VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
DEBS    := mediawiki php-cli php-sqlite3 php-intl php-mbstring lua5.1
# The state store is tested against MariaDB too (ToolsDB); only `make test` needs it.
TEST_DEBS := mariadb-server
PYTHON  ?= python3
# Headless browser for `make screenshots` (installed only by that target).
SHOT_DEBS := chromium chromium-driver

.PHONY: demo test lint bench debs venv stop clean screenshots

debs:
	@missing=""; \
	for p in $(DEBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	$(PYTHON) -c "import ensurepip" 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "These Debian packages are missing:$$missing" >&2; \
	    echo "Install them as root: apt-get install --no-install-recommends$$missing" >&2; \
	    exit 1; \
	  fi; \
	fi

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $(STAMP)

venv: $(STAMP)

demo: debs $(STAMP)
	$(VENV)/bin/partnerbot demo

test: debs $(STAMP) lint
	@$(MAKE) --no-print-directory debs DEBS="$(TEST_DEBS)"
	$(VENV)/bin/pytest -q -p no:cacheprovider

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

bench: debs $(STAMP)
	$(PY) -m tests.bench.run

# Whole-page screenshots of the demo wiki's status page, a partnership with problems and the method
# page at 800 and 1400 px into screenshots/ (not committed); SHOTS="--page TITLE --widths 360,800"
# for others.
screenshots: debs $(STAMP)
	@$(MAKE) --no-print-directory debs DEBS="$(SHOT_DEBS)"
	$(PY) scripts/screenshots.py $(SHOTS)

stop: $(STAMP)
	$(VENV)/bin/partnerbot devwiki stop

clean: stop
	rm -rf .devwiki
