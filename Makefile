# mwms-outreach: the two commands a user needs are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
STAMP := $(VENV)/.installed
OUTREACH_HOME ?= $(CURDIR)/workspace
DEMO_LEADS ?= 2000
DEMO_SEED ?= 7
DEMO_AS_OF ?= 2026-11-24
# the workspace's own Dagster instance: CLI runs record there, and `make dev` shows them
export DAGSTER_HOME ?= $(OUTREACH_HOME)/dagster
export GX_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: install demo docs test lint fmt dev bench bench-daily bench-identity bench-inbound bench-send fuzz clean

# The environment: a venv, uv from PyPI, the hash-pinned lock, the project itself
# (editable), compiled bytecode (imports cost twice as much without it), and the dbt
# manifest prepared as part of the build, never at import.
$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	UV_COMPILE_BYTECODE=1 $(BIN)/uv pip install -q --python $(BIN)/python --require-hashes -r requirements.lock
	UV_COMPILE_BYTECODE=1 $(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	$(BIN)/python -m dagster_project.prepare
	@mkdir -p $(DAGSTER_HOME) && $(BIN)/python -c "import sys; from pathlib import Path; from dagster_project.instance import install_instance_yaml; install_instance_yaml(Path(sys.argv[1]))" $(DAGSTER_HOME)
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/outreach generate --leads $(DEMO_LEADS) --seed $(DEMO_SEED) --out $(OUTREACH_HOME) --as-of $(DEMO_AS_OF)
	$(BIN)/outreach run --home $(OUTREACH_HOME) --as-of $(DEMO_AS_OF)
	$(BIN)/outreach queue export --home $(OUTREACH_HOME) --as-of $(DEMO_AS_OF)
	$(BIN)/outreach report --home $(OUTREACH_HOME) --as-of $(DEMO_AS_OF)

# dbt docs (models, tests, lineage, exposures) as one static page, from the demo warehouse
docs: $(STAMP)
	cd dbt_project && OUTREACH_WAREHOUSE=$(OUTREACH_HOME)/warehouse.duckdb $(abspath $(BIN))/dbt docs generate \
		--static --vars '{as_of: $(DEMO_AS_OF)}' --target-path $(OUTREACH_HOME)/exports/dbt_docs --quiet
	@echo "dbt docs: $(OUTREACH_HOME)/exports/dbt_docs/static_index.html"

# one worker more than the cores (pytest-xdist; much of the suite waits on subprocesses,
# servers and browsers: 8:49 with three workers on two cores, 9:56 with two), a module's
# tests on one worker (they share its fixtures); the built demo workspace is built once
# and shared by all workers (tests/conftest.py)
TEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
test: $(STAMP)
	$(BIN)/python -m dagster_project.prepare
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadscope --durations=25 $(PYTEST_ARGS)

# sqlfluff's dbt templater compiles the project against a scratch warehouse of its own
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@mkdir -p .lint
	cd dbt_project && OUTREACH_WAREHOUSE=$(CURDIR)/.lint/warehouse.duckdb $(abspath $(BIN))/sqlfluff lint models tests

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# the UI over the workspace OUTREACH_HOME (nothing else needs setting): the manifest is
# prepared first, the instance is the workspace's own (<home>/dagster, where CLI runs
# record too), and the venv's bin/ is on PATH
dev: $(STAMP)
	$(BIN)/python -m dagster_project.prepare
	@mkdir -p $(DAGSTER_HOME) && $(BIN)/python -c "import sys; from pathlib import Path; from dagster_project.instance import install_instance_yaml; install_instance_yaml(Path(sys.argv[1]))" $(DAGSTER_HOME)
	PATH=$(abspath $(BIN)):$$PATH OUTREACH_HOME=$(OUTREACH_HOME) $(BIN)/dagster dev -h 127.0.0.1 -p 3000

# Accuracy and speed figures (never part of `make test`): the daily job at each size
# (bench-daily), identity on the shared corpus and on generated data at 100k leads
# (LEADS=1000000 for the 1M figures), inbound accuracy and send throughput.
LEADS ?= 100000
bench: $(STAMP) bench-daily bench-identity bench-inbound bench-send
	$(BIN)/python -m benchmarks.identity_corpus
	$(BIN)/python -m benchmarks.identity --leads $(LEADS)

# the daily job at 10k, 100k and 1M leads, day 1 and an incremental day 2, per stage,
# against the one-pass floor: benchmarks/results/daily.md and daily.json (~20 min)
SIZES ?= 10000 100000 1000000
bench-daily: $(STAMP)
	$(BIN)/python -m benchmarks.daily --leads $(SIZES)

# inbound classification accuracy: Sisimai's bounce and auto-reply corpora, and the
# hand-written reply set in benchmarks/data/replies.jsonl
# identity beside Splink, the reference open-source linker, on the public corpus and on
# hard B2B records (PEOPLE people; seed 1 checked on, seed 2 held out). Splink is the
# yardstick, not a dependency: it lives in a venv of its own, made here on first use.
PEOPLE ?= 6000
SPLINK_VENV ?= .venv-splink
bench-identity: $(STAMP)
	@test -x $(SPLINK_VENV)/bin/python || ($(PYTHON) -m venv $(SPLINK_VENV) \
		&& $(SPLINK_VENV)/bin/python -m pip install -q --disable-pip-version-check uv==$(UV_VERSION) \
		&& $(SPLINK_VENV)/bin/uv pip install -q --python $(SPLINK_VENV)/bin/python splink==5.0.0 duckdb==2.0.1)
	$(BIN)/python -m benchmarks.identity_side_by_side --people $(PEOPLE) --splink $(SPLINK_VENV)/bin/python

bench-inbound: $(STAMP)
	$(BIN)/python -m benchmarks.inbound

# mutational fuzzing of the mail classifier and landing readers (not CI); crashes are
# saved in fuzz-crashes/
FUZZ_SECONDS ?= 60
fuzz: $(STAMP)
	$(BIN)/python -m tests.fuzz.run --seconds $(FUZZ_SECONDS)

# messages per second through the gated send path vs raw smtplib (aiosmtpd on loopback)
bench-send: $(STAMP)
	$(BIN)/python -m benchmarks.send --messages 200

clean:
	rm -rf $(VENV) workspace dbt_project/target dbt_project/logs
