# The commands people type. `make serve` and `make test` are all a newcomer needs; both install
# what is missing first (into .venv) and do nothing extra when everything is already there.
PYTHON   ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
STAMP    := $(VENV)/.installed
PORT     ?= 8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: help install system-deps serve build offline pdf diagrams i18n-status test test-gpu bench bench-gpu vendor clean

help:
	@echo "make serve      install, build and serve both languages at http://127.0.0.1:$(PORT)"
	@echo "make test       install (incl. chromium + CJK fonts) and run the whole CPU test suite"
	@echo "make build      strict build of the site into site/"
	@echo "make offline    the offline edition: offline/founders-guide-offline.zip (works from file://)"
	@echo "make pdf        the PDF editions: pdf/founders-guide-zh.pdf and pdf/founders-guide-en.pdf"
	@echo "make diagrams   draw new or changed Mermaid diagrams to SVG (docs/assets/diagrams/; commit them)"
	@echo "make i18n-status  when each language of each page last changed; flags outdated English pages"
	@echo "make test-gpu   full training runs to their quality targets (needs CUDA; PYTHON=... to reuse an env)"
	@echo "make bench      build and render budgets of the site, phone speed (Lighthouse via npm)"
	@echo "make bench-gpu  training speed benchmark (needs CUDA)"
	@echo "make vendor     refresh KaTeX, Mermaid and axe-core from the npm registry"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install only when the pins change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet ".[test]"
	@touch $@

install: $(STAMP)

system-deps:
	@sh scripts/system-deps.sh

serve: install
	$(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:$(PORT) --livereload

build: install
	$(BIN)/mkdocs build --strict

offline: install
	$(BIN)/python scripts/build_offline.py offline

pdf: build system-deps
	$(BIN)/python scripts/build_pdf.py site pdf

# Idempotent: draws only diagrams without an SVG and removes SVGs no page uses.
diagrams: install system-deps
	$(BIN)/python scripts/diagrams.py

i18n-status:
	@$(BIN)/python scripts/i18n_status.py

test: install system-deps
	$(BIN)/python -m pytest

# On a GPU machine with its own torch (e.g. CUDA build), reuse it: make test-gpu GPU_PYTHON=python3
GPU_PYTHON ?= $(BIN)/python
test-gpu:
	$(GPU_PYTHON) -m pytest -m gpu -o addopts="--import-mode=importlib -p no:cacheprovider -ra" tests/train
	$(GPU_PYTHON) bench/bench_gpu.py

bench-gpu:
	$(GPU_PYTHON) bench/bench_gpu.py

bench: install system-deps
	$(BIN)/python bench/bench_site.py

vendor: install
	cd scripts/vendor && npm ci --no-audit --no-fund
	$(BIN)/python scripts/vendor.py

clean:
	rm -rf site offline pdf .cache
