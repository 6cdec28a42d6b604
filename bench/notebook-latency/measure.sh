#!/usr/bin/env bash
# Measures, in dotnet-repl, how long the extension takes to load (the #r cell: package resolution from the local
# feed plus extension.dib) and how long #!secure-aggregate takes over >= 10k joined rows including display.
# Runs latency.dib <runs> times (default 3) and prints per-cell durations from dotnet-repl's TRX output.
set -euo pipefail
cd "$(dirname "$0")"
runs=${1:-3}
../../scripts/pack-extension.sh > /dev/null 2>&1
out=$(mktemp -d)
for i in $(seq 1 "$runs"); do
  timeout 600 dotnet dotnet-repl --run latency.dib --exit-after-run --output-format trx --output-path "$out/run$i.trx" > "$out/run$i.log" 2>&1 \
    || { echo "run $i failed"; cat "$out/run$i.log"; exit 1; }
done
python3 - "$out" "$runs" <<'PY'
import re, sys, statistics, xml.etree.ElementTree as ET
out, runs = sys.argv[1], int(sys.argv[2])
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
def seconds(d):
    h, m, s = d.split(":"); return int(h) * 3600 + int(m) * 60 + float(s)
cells = {}
for i in range(1, runs + 1):
    text = open(f"{out}/run{i}.trx", encoding="utf-8-sig").read()
    root = ET.fromstring(re.sub(r'^<\?xml[^>]*\?>', '', text))  # declared utf-16, written as utf-8
    for r in root.iterfind(".//t:UnitTestResult", ns):
        if r.get("outcome") != "Passed": sys.exit(f"cell {r.get('testName')} {r.get('outcome')}")
        cells.setdefault(r.get("testName"), []).append(seconds(r.get("duration")))
for name, ds in cells.items():
    print(f"{statistics.median(ds)*1000:8.0f} ms  (runs: {', '.join(f'{d*1000:.0f}' for d in ds)})  {name}")
PY
