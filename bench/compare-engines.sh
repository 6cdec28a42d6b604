#!/usr/bin/env bash
# Times the bench on the engine of another revision and on this checkout, interleaved, and prints a
# Markdown table of medians and ratios. Both builds use this checkout's bench code; only src/ differs.
#   bench/compare-engines.sh REV [RUNS] [bench options...]     e.g. bench/compare-engines.sh main 3 --quick
# Raw outputs go to bench/results/compare-<UTC time>/ (override with OUT=dir).
set -euo pipefail
rev=${1:?usage: bench/compare-engines.sh REV [RUNS] [bench options...]}
runs=${2:-3}
shift $(( $# >= 2 ? 2 : 1 ))
options=("$@"); [ ${#options[@]} -eq 0 ] && options=(--quick)
root=$(git rev-parse --show-toplevel)
out=${OUT:-$root/bench/results/compare-$(date -u +%Y%m%d-%H%M)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -C "$root" archive "$rev" src Directory.Build.props | tar -x -C "$tmp"
cp -r "$root/bench" "$tmp/"
rm -rf "$tmp/bench/Smpc.Bench/bin" "$tmp/bench/Smpc.Bench/obj" "$tmp/bench/results"
dotnet build -c Release "$tmp/bench/Smpc.Bench" -nologo -v q
dotnet build -c Release "$root/bench/Smpc.Bench" -nologo -v q
mkdir -p "$out"
git -C "$root" rev-parse "$rev" > "$out/before.rev"
{ git -C "$root" rev-parse HEAD; git -C "$root" diff --quiet HEAD -- src || echo "plus uncommitted changes in src/"; } > "$out/after.rev"
for i in $(seq 1 "$runs"); do
  # A failed case is reported in the .err file and left out of the summary; the other cases still count.
  "$tmp/bench/Smpc.Bench/bin/Release/net10.0/Smpc.Bench" "${options[@]}" --json "$out/before-$i.json" > "$out/before-$i.out" 2> "$out/before-$i.err" || echo "before run $i: a case failed (see $out/before-$i.err)"
  "$root/bench/Smpc.Bench/bin/Release/net10.0/Smpc.Bench" "${options[@]}" --json "$out/after-$i.json" > "$out/after-$i.out" 2> "$out/after-$i.err" || echo "after run $i: a case failed (see $out/after-$i.err)"
done
"$root/bench/Smpc.Bench/bin/Release/net10.0/Smpc.Bench" --summarize "$out" | tee "$out/summary.md"
