# Two entry points a fresh machine needs: `make demo` and `make test`.
# Both create .venv and install the project into it first; `make test` also installs the
# Debian packages the suite drives for real (LibreOffice, Chromium, poppler, CJK fonts) and
# starts the PostgreSQL and Redis servers the tests talk to when they are not running.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

# Debian packages the test suite uses: LibreOffice converts DOC/WPS and makes Word-like test
# documents, Chromium prints pages to PDF and drives browser tests, pdftoppm makes scans,
# the CJK fonts let LibreOffice and Chromium embed real Chinese glyphs, python3-uno lets a
# parse worker keep one LibreOffice running between DOC/WPS files.
DEBIAN_PACKAGES := libreoffice-writer-nogui libreoffice-calc-nogui python3-uno chromium poppler-utils \
	fonts-noto-cjk img2pdf

.PHONY: demo test bench install system-deps services clean

# The project's own modules compiled once here: where PYTHONDONTWRITEBYTECODE is set (as on
# some CI machines) every process of a crawl compiled them again at start-up. Up-to-date
# files are skipped, so this costs a stat per module.
install: $(VENV)/.installed
	@$(BIN)/python -m compileall -q harvester parsers storage >/dev/null

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Installs only what is missing, so a machine that has everything pays one dpkg query.
system-deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:" $$missing; \
		if [ "$$(id -u)" != 0 ]; then echo "run as root (or install: $$missing)" >&2; exit 1; fi; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

# The suite needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379; start them if down.
services:
	@pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || \
		{ command -v pg_ctlcluster >/dev/null && pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | head -n1) main start; } || true
	@pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL is not reachable on 127.0.0.1:5432" >&2; exit 1; }
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || \
		{ command -v redis-server >/dev/null && redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no; sleep 1; } || true

demo: install
	$(BIN)/harvester demo

test: install system-deps services
	$(BIN)/pytest -q

bench: install
	$(BIN)/python benchmarks/parse.py
	$(BIN)/python benchmarks/accuracy.py
	$(BIN)/python benchmarks/hostile.py
	$(BIN)/python benchmarks/storage.py
	$(BIN)/python benchmarks/record.py
	$(BIN)/python benchmarks/crawl.py
	$(BIN)/python benchmarks/replay.py
	$(BIN)/python benchmarks/links.py
	$(BIN)/python benchmarks/render.py
	$(BIN)/python benchmarks/web.py
	$(BIN)/python benchmarks/ocr_accuracy.py
	$(BIN)/python benchmarks/distributed.py

clean:
	rm -rf $(VENV) data
