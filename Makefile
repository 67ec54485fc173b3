# Two entry points a fresh machine needs: `make demo` and `make test`.
# Both create .venv and install the project into it first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test bench install clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

demo: install
	$(BIN)/harvester demo

test: install
	$(BIN)/pytest -q

bench: install
	$(BIN)/python benchmarks/parse.py
	$(BIN)/python benchmarks/storage.py
	$(BIN)/python benchmarks/crawl.py

clean:
	rm -rf $(VENV) data
