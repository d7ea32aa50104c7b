# Deadlock Lab. The two commands: `make serve` (build, then serve on http://127.0.0.1:$PORT/) and
# `make test` (every test layer). scripts/setup.sh installs whatever is missing first, so both work on
# a fresh machine with only Rust (rustup) and Node.js/npm; a second run skips what is already there.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

export PATH := $(CURDIR)/.tools/bin:$(or $(CARGO_HOME),$(HOME)/.cargo)/bin:$(PATH)
PORT ?= 8080
HOST ?= 127.0.0.1
DIST := dist
# Trunk must not look for updates or download tools (setup.sh installed them).
export TRUNK_SKIP_VERSION_CHECK := true
export TRUNK_OFFLINE := true
# CI-friendly output: no colours, no progress bars when CI is set (GitHub Actions and .ci/run set it).
ifneq ($(CI),)
export CARGO_TERM_COLOR := never
export CARGO_TERM_PROGRESS_WHEN := never
export NO_COLOR := true
endif
TIMER = scripts/timed.sh

.PHONY: help setup setup-test build serve test test-fmt test-native test-wasm test-e2e test-size build-minimal bench clean distclean

help:
	@echo "make serve   build the release site into $(DIST)/ and serve it on http://$(HOST):$(PORT)/ (PORT=...)"
	@echo "make test    native tests, browser unit tests (wasm, headless Chromium), build, end-to-end tests"
	@echo "make build   release build into $(DIST)/ plus a size report (target/size.json)"
	@echo "make bench   core benchmarks (native), browser figures, Lighthouse start-up (mobile): target/bench/report.md"
	@echo "make clean   remove $(DIST)/ and build output (make distclean also removes .tools/ and node_modules/)"

setup:
	@scripts/setup.sh build

setup-test:
	@scripts/setup.sh test

build: setup
	@$(TIMER) build -- trunk build --release
	@scripts/size-report.sh $(DIST) target/size.json

# The reference page for the ready-time comparison (tests/minimal): a Leptos counter, same settings.
build-minimal: setup
	@$(TIMER) build-minimal -- trunk build --config tests/minimal/Trunk.toml

serve: build
	@node scripts/serve.mjs $(DIST) --host $(HOST) --port $(PORT)

# The layers run in this order; a failing layer does not stop the next (CI sees every count), but
# `make test` fails if any did. Each prints its own pass count; target/test-summary.txt collects them.
test: setup-test
	@mkdir -p target && : >target/test-summary.txt
	@failed=""; \
	$(MAKE) test-fmt || failed="$$failed fmt"; \
	$(MAKE) test-native || failed="$$failed native"; \
	$(MAKE) test-wasm || failed="$$failed wasm"; \
	$(MAKE) test-e2e || failed="$$failed e2e"; \
	$(MAKE) test-size || failed="$$failed size"; \
	echo; echo "== summary =="; cat target/test-summary.txt; \
	if [ -n "$$failed" ]; then echo "FAILED layers:$$failed"; exit 1; fi; echo "all layers passed"

# (0) one formatting standard (rustfmt.toml); tests/code_rules.rs checks line width and lengths.
test-fmt:
	@cargo fmt --check && echo "fmt: cargo fmt --check found nothing to change" | tee -a target/test-summary.txt

# (a) the simulation core and everything else that runs natively.
test-native:
	@$(TIMER) native --summary target/test-summary.txt --cargo -- cargo test --no-fail-fast

# (b) browser unit tests: tests/web.rs in headless Chromium (wasm-bindgen-test-runner + chromedriver).
test-wasm:
	@$(TIMER) wasm --summary target/test-summary.txt --cargo -- cargo test --target wasm32-unknown-unknown --test web

# (c) the release build, served on loopback, driven by Playwright (tests/e2e/run.mjs serves dist/ itself).
test-e2e: build
	@$(TIMER) e2e --summary target/test-summary.txt --e2e -- node tests/e2e/run.mjs $(DIST)

# (d) the size gate: dist/ (gzip) against the limit in size-budget.json (the e2e layer built dist/).
test-size: build
	@node scripts/size-budget.mjs target/size.json size-budget.json --summary target/test-summary.txt

# The core benchmark (native, opt-level 3), the browser measurements (the e2e performance and soak
# tests against the release build), start-up as a phone feels it (Lighthouse 12, mobile, the app and
# the minimal Leptos page served compressed), then one report: target/bench/report.md and report.json.
bench: build build-minimal
	cargo run --profile bench --example bench
	E2E_BENCH=1 E2E_GREP='performance|soak|ready time' node tests/e2e/run.mjs $(DIST)
	@scripts/setup.sh bench
	node scripts/lighthouse.mjs
	node scripts/bench-report.mjs

clean:
	rm -rf $(DIST) target/screenshots target/size.json target/test-summary.txt
	cargo clean

distclean: clean
	rm -rf .tools tests/e2e/node_modules
