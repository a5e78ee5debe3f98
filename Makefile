# The commands people type. `make serve` and `make test` are all a newcomer needs; both install
# what is missing first (into .venv) and do nothing extra when everything is already there.
PYTHON   ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
STAMP    := $(VENV)/.installed
PORT     ?= 8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: help install system-deps serve build offline pdf diagrams i18n-status freshness check test test-gpu bench bench-gpu vendor clean

help:
	@echo "make serve      install, build and serve both languages at http://127.0.0.1:$(PORT)"
	@echo "make serve LANG=en   one language only, rebuilding just the page you save (~2 s; also LANG=zh)"
	@echo "make check      the source-level checks only (build, code, formulas, parity, links, spelling): < 1 min"
	@echo "make test       install (incl. chromium + CJK fonts) and run the whole CPU test suite"
	@echo "make build      strict build of the site into site/"
	@echo "make offline    the offline edition: offline/founders-guide-offline.zip (works from file://)"
	@echo "make pdf        the PDF editions: pdf/founders-guide-zh.pdf and pdf/founders-guide-en.pdf"
	@echo "make diagrams   draw new or changed Mermaid diagrams to SVG (docs/assets/diagrams/; commit them)"
	@echo "make i18n-status  when each language of each page last changed; flags outdated English pages"
	@echo "make freshness  every dated fact with its age; flags stale marks and time-sensitive sources without one"
	@echo "make test-gpu   full training runs to their quality targets (needs CUDA; PYTHON=... to reuse an env)"
	@echo "make bench      build and render budgets, phone speed (Lighthouse via npm), search relevance, preview loop"
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

# `make serve LANG=en` (or zh): build one language and, on save, rebuild only the changed page
# (--dirty: a new page or a changed nav needs a restart). LANG from the environment (a locale such
# as C.UTF-8) is not a book language, so plain `make serve` builds both.
BOOK_LANG := $(filter zh en,$(LANG))
serve: install
ifeq ($(BOOK_LANG),)
	$(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:$(PORT) --livereload
else
	BOOK_LANG=$(BOOK_LANG) $(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:$(PORT) --livereload
endif

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

freshness:
	@$(BIN)/python scripts/freshness.py

# The source-level layers only (no browser, no training runs, not the tests of the checks
# themselves in test_planted_mistakes.py): what to run after editing pages. CI runs everything.
check: install
	$(BIN)/python -m pytest -m "not browser and not training" --ignore=tests/site/test_planted_mistakes.py

test: install system-deps
	$(BIN)/python -m pytest

# On a GPU machine with its own torch (e.g. CUDA build), reuse it: make test-gpu GPU_PYTHON=python3
GPU_PYTHON ?= $(BIN)/python
# --confcutdir: not the root conftest.py (it needs pytest-codeblocks, which a GPU image may lack); -s prints each
# target next to the measured result. The runs land in runs/gpu/, where bench-gpu reuses them.
test-gpu:
	$(GPU_PYTHON) -m pytest -m gpu -s -o addopts="--import-mode=importlib -p no:cacheprovider -ra" -o minversion=7.0 \
		--confcutdir=tests/train tests/train/test_gpu_targets.py

bench-gpu:
	$(GPU_PYTHON) bench/bench_gpu.py

bench: install system-deps
	$(BIN)/python bench/bench_site.py
	$(BIN)/python bench/bench_preview.py

vendor: install
	cd scripts/vendor && npm ci --no-audit --no-fund
	$(BIN)/python scripts/vendor.py

clean:
	rm -rf site offline pdf .cache
