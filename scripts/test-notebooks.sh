#!/usr/bin/env bash
# Executes every notebook in notebooks/ headless, in dotnet-repl and in Jupyter (nbconvert with the .NET kernel),
# after packing the extension into the local feed. Writes one line "<notebook>[<host>] passed|failed" per notebook
# and host to <results-dir>/notebooks.results (scripts/test.sh sums them), plus a check that the charts of
# every executed notebook that has charts, exported to HTML, are drawn in headless Chromium. Executed notebooks, HTML and logs go
# to <results-dir>/notebooks/. Every step has a timeout. Exits non-zero if anything failed.
# Usage: scripts/test-notebooks.sh [results-dir] [name-pattern]
# Needs: the tools of .config/dotnet-tools.json and the Debian packages of scripts/install-deps.sh.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
results=$(mkdir -p "${1:-out/test-results}" && cd "${1:-out/test-results}" && pwd)
out="$results/notebooks"
list="$results/notebooks.results"
rm -rf "$out"; mkdir -p "$out"; : > "$list"
export PATH="$HOME/.dotnet/tools:$PATH" DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
notebooks=(notebooks/${2:-*}.ipynb)   # optional second argument: a name pattern, e.g. "04-*"
record() { echo "$1 $2" | tee -a "$list"; }
fail_all() { for nb in "${notebooks[@]}"; do n=$(basename "$nb" .ipynb); record "$n[dotnet-repl]" failed; record "$n[jupyter]" failed; done; exit 1; }
status=0

timeout 300 dotnet tool restore > "$out/tool-restore.log" 2>&1 || { echo "dotnet tool restore failed (see $out/tool-restore.log)"; fail_all; }
version=$(timeout 600 scripts/pack-extension.sh 2> "$out/pack.log") || { echo "packing the extension failed (see $out/pack.log)"; fail_all; }
echo "extension Smpc.Analytics.Interactive $version in out/feed"
if python3 scripts/check-package.py out/feed "$version" > "$out/package.log" 2>&1; then
  record "packages[layout]" passed
else
  record "packages[layout]" failed; status=1; cat "$out/package.log"
fi

# A private Jupyter kernelspec for the .NET kernel, serving HTTP on loopback only.
export JUPYTER_PATH="$root/out/jupyter"
rm -rf "$JUPYTER_PATH"; mkdir -p "$JUPYTER_PATH/kernels"
timeout 120 dotnet interactive jupyter install --path "$JUPYTER_PATH/kernels" > "$out/kernelspec.log" 2>&1 || echo "kernelspec install failed (see $out/kernelspec.log)"
python3 - "$JUPYTER_PATH/kernels/.net-csharp/kernel.json" <<'PY' || echo "could not patch the kernelspec"
import json, sys
path = sys.argv[1]
spec = json.load(open(path))
if "--http-local-only" not in spec["argv"]:
    spec["argv"].append("--http-local-only")
json.dump(spec, open(path, "w"), indent=2)
PY

first_jupyter=""
for nb in "${notebooks[@]}"; do
  name=$(basename "$nb" .ipynb)
  echo "== $name: dotnet-repl"
  if (cd notebooks && timeout --kill-after=15 900 dotnet dotnet-repl --run "$name.ipynb" --exit-after-run \
        --output-path "$out/$name.repl.ipynb") > "$out/$name.repl.log" 2>&1; then
    record "$name[dotnet-repl]" passed
  else
    record "$name[dotnet-repl]" failed; status=1; tail -20 "$out/$name.repl.log"
  fi
  echo "== $name: jupyter"
  if timeout --kill-after=15 1200 jupyter nbconvert --to notebook --execute \
        --ExecutePreprocessor.timeout=600 --ExecutePreprocessor.startup_timeout=180 \
        --ExecutePreprocessor.kernel_name=.net-csharp \
        --output-dir "$out" --output "$name.jupyter.ipynb" "$nb" > "$out/$name.jupyter.log" 2>&1; then
    record "$name[jupyter]" passed
    [ -z "$first_jupyter" ] && first_jupyter="$name"
  else
    record "$name[jupyter]" failed; status=1; tail -20 "$out/$name.jupyter.log"
  fi
done

# Every notebook that drew charts, executed in Jupyter and exported to HTML, opened in headless Chromium: its charts must be drawn.
if [ -z "$first_jupyter" ]; then record "html-export[chromium-charts]" failed; status=1; fi
for nb in "${notebooks[@]}"; do
  name=$(basename "$nb" .ipynb)
  executed="$out/$name.jupyter.ipynb"
  [ -f "$executed" ] && grep -q 'smpc-chart' "$executed" || continue
  echo "== $name: HTML export, charts drawn in headless Chromium"
  if timeout 300 jupyter nbconvert --to html --output-dir "$out" --output "$name" "$executed" > "$out/$name.html.log" 2>&1 \
     && timeout 180 python3 scripts/check-charts.py "$out/$name.html" 1 > "$out/$name.charts.log" 2>&1; then
    record "$name[chromium-charts]" passed
  else
    record "$name[chromium-charts]" failed; status=1; tail -20 "$out/$name.html.log" "$out/$name.charts.log"
  fi
done
exit $status
