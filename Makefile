# ecomops — `make report` renders every report of the bundled sample shop; `make test` runs the suite.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

SUDO   := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
MATCH_SETS ?= ../shared/data/product_matching
# the Chinese set: a copy of EMBER's data/ali/datasets (github.com/tshu-w/ember), converted
# into benchmarks/out/ember by ember_pairs.py; the bench leaves it out when it is absent
EMBER ?=
ZH_MATCH_SETS := benchmarks/out/ember

.PHONY: help setup report screenshots test test-browser browser lint lab sample bench matcher clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	$(VENV)/bin/ecomops install-kernel
	@touch $(STAMP)

setup: $(STAMP) ## create .venv, install the package, its tools and its Jupyter kernel

report: $(STAMP) ## render the sample shop's reports (the four daily ones and the weekly) into reports/<date>/
	$(VENV)/bin/ecomops run --data data/sample --out reports
	$(VENV)/bin/ecomops run --data data/sample --out reports --period week

screenshots: $(STAMP) ## check the latest reports in headless Chromium; PNGs to reports/<date>/screenshots/
	$(VENV)/bin/ecomops screenshots

test: $(STAMP) ## run the whole suite: unit tests, CLI runs, notebooks (nbval), lint, clean notebooks
	$(VENV)/bin/ruff check .
	$(VENV)/bin/nbstripout --verify notebooks/*.ipynb
	$(VENV)/bin/pytest -q -n auto --dist loadfile
	$(VENV)/bin/pytest -q --nbval-lax --nbval-current-env notebooks/ --nbval-sanitize-with tests/sanitize.cfg

browser: ## install Debian's chromium and fonts-noto-cjk (apt) unless both are there
	@if command -v chromium >/dev/null && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
		echo "chromium and fonts-noto-cjk are installed"; \
	else \
		$(SUDO) apt-get update -qq && \
		$(SUDO) apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk; \
	fi

test-browser: $(STAMP) browser ## install chromium + CJK fonts, then open every report at 390 and 1280 px
	$(VENV)/bin/pytest -q -m browser -rs

lint: $(STAMP) ## ruff check and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check ecomops_helpers tests benchmarks

lab: $(STAMP) ## open the notebooks in JupyterLab (installs the `lab` extra on first use)
	$(PY) -m pip install --quiet -e ".[dev,lab]"
	$(VENV)/bin/jupyter lab notebooks/

sample: $(STAMP) ## regenerate the bundled sample shop in data/sample
	rm -rf data/sample
	$(VENV)/bin/ecomops sample --out data/sample

matcher: $(STAMP) ## refit the shipped 同款 model on the labelled train splits (EMBER=… adds the Chinese one)
	@if [ -n "$(EMBER)" ]; then $(PY) benchmarks/ember_pairs.py $(EMBER) $(ZH_MATCH_SETS); fi
	$(PY) benchmarks/train_matcher.py $(MATCH_SETS) $(if $(wildcard $(ZH_MATCH_SETS)/Ali-*-train.txt),$(ZH_MATCH_SETS))

bench: $(STAMP) ## benchmarks (about 40 min): every report at scale beside its baseline; results in benchmarks/RESULTS.md
	-$(PY) -m pip install --quiet lifetimes  # the named baseline; without it a groupby().apply stands in
	$(PY) benchmarks/bench_daily_review.py
	$(PY) benchmarks/bench_daily_review.py --days 1095 --items 5000
	$(PY) benchmarks/bench_floor.py
	$(PY) benchmarks/bench_customer_summary.py
	$(PY) benchmarks/bench_ads_audit.py
	$(PY) benchmarks/bench_competitors.py
	$(PY) benchmarks/bench_rival_snapshots.py
	@if [ -n "$(EMBER)" ]; then $(PY) benchmarks/ember_pairs.py $(EMBER) $(ZH_MATCH_SETS); fi
	$(PY) benchmarks/bench_matcher.py $(MATCH_SETS)/*-valid.txt $(wildcard $(ZH_MATCH_SETS)/Ali-*-valid.txt)
	$(PY) benchmarks/bench_answers.py $(MATCH_SETS)/*-valid.txt $(wildcard $(ZH_MATCH_SETS)/Ali-*-valid.txt)
	$(PY) benchmarks/bench_events.py
	$(PY) benchmarks/bench_customers_10m.py
	$(PY) benchmarks/bench_run_all.py 50

clean: ## remove the venv and rendered reports
	rm -rf $(VENV) reports
