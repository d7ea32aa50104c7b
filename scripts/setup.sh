#!/usr/bin/env bash
# Installs what the build and the tests need, and nothing that is already there.
#   scripts/setup.sh build   -> wasm32 target, Trunk, wasm-bindgen CLI (= Cargo.lock version), wasm-opt,
#                               terser
#   scripts/setup.sh test    -> the above, plus Chromium + chromedriver and the e2e npm packages
#   scripts/setup.sh bench   -> the above, plus Lighthouse 12 in .tools/lighthouse (make bench)
# Every step checks first, so a second run takes a second. Logs of slow installs go to target/setup/.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-build}
TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132
# The JS minifier scripts/csp.mjs runs over the glue and the other scripts dist/ ships.
TERSER_VERSION=5.51.4
LOG=target/setup; mkdir -p "$LOG"
TOOLS="$PWD/.tools"
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$TOOLS/bin:$CARGO_BIN:$PATH"

say()  { printf '[setup] %s\n' "$*"; }
die()  { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "$1 is missing: $2"; }
quiet() { # quiet LOGNAME cmd... : run, keep output in a log, show its tail only on failure
  local log="$LOG/$1.log"; shift
  if ! "$@" >"$log" 2>&1; then tail -n 15 "$log" >&2; die "'$*' failed; full log: $log"; fi
}

# apt_install PKG... : Debian/Ubuntu packages, as root or through sudo (one apt-get update per run).
apt_updated=""
apt_install() {
  local sudo=""
  if [ "$(id -u)" != 0 ]; then command -v sudo >/dev/null 2>&1 && sudo="sudo" || return 1; fi
  command -v apt-get >/dev/null 2>&1 || return 1
  [ -n "$apt_updated" ] || { quiet apt-update $sudo apt-get update; apt_updated=1; }
  quiet "apt-$1" $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

need cargo "install Rust with rustup (https://rustup.rs), then run this again"
need rustup "install Rust with rustup (https://rustup.rs); the wasm32 target comes from rustup"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  quiet rustup-target rustup target add wasm32-unknown-unknown
fi

if ! cargo fmt --version >/dev/null 2>&1; then
  say "adding rustfmt (make test checks the formatting)"
  quiet rustfmt rustup component add rustfmt
fi

if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (compiles from source: ~10 min on 2 cores, once)"
  quiet trunk cargo install --locked trunk --version "$TRUNK_VERSION"
fi

WB_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
[ -n "$WB_VERSION" ] || die "Cargo.lock names no wasm-bindgen version; run 'cargo generate-lockfile'"
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WB_VERSION\$\| $WB_VERSION "; then
  say "installing wasm-bindgen-cli $WB_VERSION (must equal Cargo.lock; ~4 min, once)"
  # Not --locked: one of its locked dependencies is not on the registry (see shared/TOOLCHAIN.md).
  quiet wasm-bindgen cargo install wasm-bindgen-cli --version "$WB_VERSION" --force
fi

if ! "$TOOLS/bin/wasm-opt" --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
  if ! command -v npm >/dev/null 2>&1; then
    say "installing Node.js and npm (Debian packages)"
    apt_install nodejs npm || die "install Node.js 18+ and npm; wasm-opt comes from the npm package binaryen@$BINARYEN_VERSION"
  fi
  say "installing wasm-opt from npm binaryen@$BINARYEN_VERSION (Debian's binaryen 108 breaks the module)"
  mkdir -p "$TOOLS/bin"
  quiet binaryen npm install --no-audit --no-fund --prefix "$TOOLS/npm" "binaryen@$BINARYEN_VERSION"
  ln -sf "$TOOLS/npm/node_modules/.bin/wasm-opt" "$TOOLS/bin/wasm-opt"
fi

if ! grep -qs "\"version\": \"$TERSER_VERSION\"" "$TOOLS/npm/node_modules/terser/package.json"; then
  need npm "install Node.js 18+ and npm; the build minifies its JavaScript with terser"
  say "installing terser@$TERSER_VERSION into .tools/npm (npm, a few seconds)"
  quiet terser npm install --no-audit --no-fund --prefix "$TOOLS/npm" "terser@$TERSER_VERSION"
fi

[ "$what" = test ] || [ "$what" = bench ] || { say "build tools ready"; exit 0; }

# --- test-only pieces -------------------------------------------------------------------------
find_browser() {
  for b in "${CHROME_PATH:-}" chromium chromium-browser google-chrome google-chrome-stable; do
    [ -n "$b" ] && command -v "$b" >/dev/null 2>&1 && { command -v "$b"; return 0; }
  done; return 1
}
if ! find_browser >/dev/null || ! command -v chromedriver >/dev/null 2>&1; then
  say "installing Debian's chromium, chromium-driver and a font"
  apt_install chromium chromium-driver fonts-dejavu-core ||
    die "no Chromium/Chrome with a matching chromedriver on PATH: install them (Debian: apt-get install chromium chromium-driver)"
fi
BROWSER=$(find_browser) || die "Chromium still not found after install"
bv=$("$BROWSER" --version 2>/dev/null | grep -oE '[0-9]+' | head -1); dv=$(chromedriver --version | grep -oE '[0-9]+' | head -1)
[ "$bv" = "$dv" ] || die "browser major version $bv differs from chromedriver $dv: install a matching chromedriver"

if [ ! -d tests/e2e/node_modules/playwright-core ] || [ tests/e2e/package-lock.json -nt tests/e2e/node_modules/.package-lock.json ]; then
  need npm "install Node.js 18+ and npm for the end-to-end tests"
  say "installing the end-to-end test packages (npm ci in tests/e2e)"
  quiet npm-e2e npm ci --no-audit --no-fund --prefix tests/e2e
fi
say "test tools ready (browser: $BROWSER)"
[ "$what" = bench ] || exit 0

# --- bench-only pieces ------------------------------------------------------------------------
# Lighthouse 12 (13 needs a newer Node than 20), run by scripts/lighthouse.mjs with the browser above.
if [ ! -x "$TOOLS/lighthouse/node_modules/.bin/lighthouse" ]; then
  need npm "install Node.js 18+ and npm for Lighthouse"
  say "installing lighthouse@12 into .tools/lighthouse (npm, ~10 s)"
  quiet lighthouse npm install --no-audit --no-fund --prefix "$TOOLS/lighthouse" lighthouse@12
fi
say "bench tools ready (lighthouse $("$TOOLS/lighthouse/node_modules/.bin/lighthouse" --version))"
