#!/usr/bin/env bash
# Runs every test of the project: unit, property, differential and end-to-end tests (dotnet test),
# including the three-process TLS test and the executed notebooks. Installs what it needs itself.
# Ends with "N passed, N failed[, N skipped]" and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
results="$root/out/test-results"
rm -rf "$results"; mkdir -p "$results"
failed_steps=0

step() { echo; echo "== $*"; }

step "restore dotnet tools (tool manifest: .config/dotnet-tools.json)"
if [ -f .config/dotnet-tools.json ]; then dotnet tool restore || failed_steps=$((failed_steps+1)); fi

if [ -x scripts/install-deps.sh ]; then
  step "install system packages"
  scripts/install-deps.sh || failed_steps=$((failed_steps+1))
fi

step "build (Release, warnings are errors)"
if ! dotnet build Smpc.Analytics.sln -c Release -nologo -v q; then
  echo "build failed"; echo "0 passed, 1 failed"; exit 1
fi

step "dotnet test"
dotnet test Smpc.Analytics.sln -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results"
test_rc=$?

if [ -x scripts/test-notebooks.sh ]; then
  step "notebooks (headless)"
  scripts/test-notebooks.sh "$results" || true
fi

if [ -x scripts/test-packages.sh ]; then
  step "packages (installed from the local feed into fresh projects)"
  scripts/test-packages.sh "$results" || true
fi

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(echo "$counters" | grep -o ' passed="[0-9]*"' | grep -o '[0-9]*'); f=$(echo "$counters" | grep -o ' failed="[0-9]*"' | grep -o '[0-9]*')
  nx=$(echo "$counters" | grep -o ' notExecuted="[0-9]*"' | grep -o '[0-9]*')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${nx:-0}))
done
# Notebook and other results written as "<name> passed|failed" lines by the scripts above.
for list in "$results"/*.results; do
  [ -f "$list" ] || continue
  passed=$((passed + $(grep -c ' passed$' "$list"))); failed=$((failed + $(grep -c ' failed$' "$list")))
done
if [ $test_rc -ne 0 ] && [ $failed -eq 0 ]; then failed=1; echo "dotnet test exited with $test_rc"; fi
failed=$((failed + failed_steps))
if [ $skipped -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
[ $failed -eq 0 ]
