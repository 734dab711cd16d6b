# Smarketing warehouse — the two commands a new user runs are `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV_VERSION := 0.13.8
UV := $(shell command -v uv 2>/dev/null || echo python3 -m uv)
# --inexact: an extra installed by hand (`uv sync --extra spark`) stays installed
SYNC := $(UV) sync --frozen --quiet --inexact
# exactly the lock with the spark extra: what it leaves out goes (sqlglot's compiled build)
SYNC_SPARK := $(UV) sync --frozen --quiet --extra spark
DATA ?= data
SCALE ?= demo
export SMARKETING_INBOX ?= $(abspath $(DATA)/inbox)
export SMARKETING_WAREHOUSE ?= $(abspath $(DATA)/warehouse.duckdb)
export DAGSTER_HOME ?= $(abspath $(DATA)/dagster_home)
DASHBOARD_PORT ?= 8501
export GX_ANALYTICS_ENABLED := false
export DAGSTER_DISABLE_TELEMETRY := 1
export DO_NOT_TRACK := 1

.PHONY: help setup demo run dashboard test test-spark lint bench soak clean

help:
	@echo "make demo   set up, generate demo exports if the inbox is empty, run the whole pipeline,"
	@echo "            then serve the dashboard (http://localhost:$(DASHBOARD_PORT))"
	@echo "make dashboard  serve the dashboard on the warehouse already built (shared role;"
	@echo "            SMARKETING_ROLE=restricted make dashboard: with e-mails, phones and names)"
	@echo "make test   set up and run the whole test suite"
	@echo "make test-spark  the models on a local Spark, compared with DuckDB's (Java 17 needed)"
	@echo "make bench  benchmark at large scale (1M people, 10M+ events), then demo scale with the"
	@echo "            dashboard pages' render times; writes bench/out/"
	@echo "            ENGINE=spark: the Spark build part by part, at SPARK_SCALES (small demo)"
	@echo "make soak   kill runs at random moments (KILLS=20) while a reader queries the serving"
	@echo "            copy; reports runs, kills, reader queries and errors, and any loss"
	@echo "make clean  remove the generated data and the warehouse"

setup:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 \
		|| python3 -m pip install --quiet "uv==$(UV_VERSION)"
	@$(SYNC)

demo: setup
	@mkdir -p "$(SMARKETING_INBOX)" "$(DAGSTER_HOME)"
	@if [ -z "$$(ls -A "$(SMARKETING_INBOX)")" ]; then \
		echo "Inbox is empty: generating $(SCALE)-scale demo exports …"; \
		$(UV) run smarketing generate --scale $(SCALE) --seed 42 --out "$(DATA)"; \
	fi
	@$(UV) run smarketing run
	@echo
	@echo "Warehouse:  $(SMARKETING_WAREHOUSE)"
	@echo "            schemas: raw (as delivered), audit (load audit, rejected rows), staging (typed),"
	@echo "            identity (record links, stable ids), marts (dim_leads, bridge_lead_source_records)"
	@echo "Published:  $(dir $(SMARKETING_WAREHOUSE))serving.duckdb (shared: e-mails and phones pseudonymised,"
	@echo "            no names) and serving_restricted.duckdb (everything; SMARKETING_ROLE=restricted make dashboard)"
	@echo "Committee:  $(dir $(SMARKETING_WAREHOUSE))committee/ (each closed month's pack: PDF and HTML, French and English)"
	@echo "Dagster UI: DAGSTER_HOME=$(DAGSTER_HOME) $(UV) run dagster dev -m dagster_project.definitions  (then open http://localhost:3000)"
	@$(MAKE) --no-print-directory dashboard

# The dashboard reads the shared serving copy, or with SMARKETING_ROLE=restricted the restricted one.
dashboard: setup
	@echo "Dashboard:  http://localhost:$(DASHBOARD_PORT)  (Ctrl+C stops it)"
	@$(UV) run streamlit run dashboards/app.py --server.headless=true \
		--server.port=$(DASHBOARD_PORT) --browser.gatherUsageStats=false --client.toolbarMode=viewer

run: setup
	@$(UV) run smarketing run

test: setup
	@$(UV) run ruff check .
	@$(UV) run pytest

# the same models on a local Spark: the engine macros' tests and the small run built on Spark,
# compared with DuckDB's (its extra: pyspark, dbt-spark; Java 17); CI runs it after make test
test-spark: setup
	@$(SYNC_SPARK)
	@$(UV) run pytest -m spark

lint: setup
	@$(UV) run ruff check .
	@$(UV) run ruff format --check .

# The large scale for the pipeline, then the demo scale, whose report holds each dashboard
# page's render time at the size the committee uses. ENGINE=spark: the Spark build part by
# part at each of SPARK_SCALES, beside DuckDB's same stages (the spark extra, Java 17).
ENGINE ?= duckdb
SPARK_SCALES ?= small demo
bench: setup
ifeq ($(ENGINE),spark)
	@$(SYNC_SPARK)
	@for scale in $(SPARK_SCALES); do \
		$(UV) run python -m smarketing_tools.bench --engine spark --scale $$scale \
			--out bench/out/spark/$$scale || exit 1; \
	done
else
	@$(UV) run python -m smarketing_tools.bench --out bench/out
	@$(UV) run python -m smarketing_tools.bench --scale demo --out bench/out/demo
endif

KILLS ?= 20
soak: setup
	@$(UV) run python -m smarketing_tools.bench.soak --kills $(KILLS) --out bench/out/soak

clean:
	rm -rf "$(DATA)" dbt/target dbt/logs
