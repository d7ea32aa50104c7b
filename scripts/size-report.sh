#!/usr/bin/env bash
# Size of every file in dist/: raw bytes and gzip -9 bytes, then the total. Also writes target/size.json.
#   scripts/size-report.sh [dist] [target/size.json]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-dist}; out=${2:-target/size.json}
[ -d "$dir" ] || { echo "size-report: $dir/ not found: run 'make build'" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
total_raw=0; total_gz=0; json=""
printf '%-48s %10s %10s\n' "file ($dir/)" "raw B" "gzip-9 B"
while IFS= read -r f; do
  rel=${f#"$dir"/}
  raw=$(wc -c <"$f"); gz=$(gzip -9 -c "$f" | wc -c)
  raw=$((raw)); gz=$((gz))
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
  printf '%-48s %10d %10d\n' "$rel" "$raw" "$gz"
  json+="${json:+,}{\"file\":\"$rel\",\"raw\":$raw,\"gzip\":$gz}"
done < <(find "$dir" -type f | LC_ALL=C sort)
printf '%-48s %10d %10d\n' "TOTAL" "$total_raw" "$total_gz"
printf '{"dir":"%s","files":[%s],"total":{"raw":%d,"gzip":%d}}\n' "$dir" "$json" "$total_raw" "$total_gz" >"$out"
echo "size-report: wrote $out"
