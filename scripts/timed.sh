#!/usr/bin/env bash
# Runs one step, shows its output and keeps a copy in target/logs/LABEL.log, then prints one line with
# the step's time and, for test steps, its pass count (also appended to the --summary file).
#   scripts/timed.sh LABEL [--summary FILE] [--cargo|--e2e] -- command args...
#     --cargo  sums the "test result: ... N passed; M failed; K ignored" lines of cargo test
#     --e2e    reads the final "N passed, M failed" line of tests/e2e/run.mjs
set -uo pipefail
label=$1; shift
summary=""; kind=""
while [ $# -gt 0 ]; do
  case $1 in
    --summary) summary=$2; shift 2 ;;
    --cargo|--e2e) kind=${1#--}; shift ;;
    --) shift; break ;;
    *) echo "timed.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p target/logs
log=target/logs/$label.log
start=$(date +%s.%N)
"$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')

case $kind in
  cargo)
    read -r passed failed ignored suites < <(awk '/^test result: /{
        for (i = 1; i <= NF; i++) { v = $i + 0
          if ($(i+1) ~ /^passed/) p += v; else if ($(i+1) ~ /^failed/) f += v; else if ($(i+1) ~ /^ignored/) g += v }
        n++ } END { printf "%d %d %d %d\n", p, f, g, n }' "$log")
    if [ "$suites" -eq 0 ]; then line="$label: no test ran (exit $rc; see $log)"
    else line="$label: $passed passed, $failed failed, $ignored ignored ($suites test binaries, ${secs}s)"; fi ;;
  e2e)
    counts=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
    line="$label: ${counts:-no result line (exit $rc; see $log)} (${secs}s)" ;;
  *) line="$label: $([ "$rc" = 0 ] && echo ok || echo "FAILED (exit $rc)") (${secs}s)" ;;
esac
[ "$rc" = 0 ] || [ -z "$kind" ] || line="$line -- FAILED (exit $rc)"
printf '\n[%s]\n' "$line"
[ -z "$summary" ] || echo "$line" >>"$summary"
exit "$rc"
