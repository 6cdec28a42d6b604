#!/usr/bin/env bash
# Peak memory of a contribution: `smpc contribute` of ROWS rows × 20 columns (CSV) to three `smpc party serve`
# processes on loopback, with the contributor's and each party's peak RSS (VmHWM), seconds, and bytes stored per
# party. Not a test: run by hand, e.g. `bench/contribute-memory.sh 10000000` (the issue's 10M-row case; the CSV
# alone is ~2 GB and generating it takes minutes). Default 200000 rows. SHAPE=narrow: one 50-level category and one
# integer value instead (the issue's "10M rows of one category and one value ≤ 400 MB per party").
set -euo pipefail
ROWS=${1:-200000}
BATCH=${BATCH:-0}
SHAPE=${SHAPE:-wide}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/smpc-contribute-bench.XXXXXX)
SMPC="dotnet $ROOT/src/Smpc.Cli/bin/Release/net10.0/smpc.dll"
[ -f "$ROOT/src/Smpc.Cli/bin/Release/net10.0/smpc.dll" ] || dotnet build "$ROOT/src/Smpc.Cli/Smpc.Cli.csproj" -c Release -nologo -v q
PIDS=()
cleanup() {
  status=$?
  if [ "$status" != 0 ]; then   # show why before the folder goes
    echo "failed ($status):"; tail -n 5 "$WORK"/contribute.err "$WORK"/serve-*.out "$WORK"/party-*.jsonl 2>/dev/null || true
  fi
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK"

# 20 columns: an SSN identifier, 4 categorical (5, 10, 20, 50 levels), 8 fixed-point, 7 integer (2 nullable).
python3 - "$ROWS" "$SHAPE" <<'PY'
import json, random, sys
rows = int(sys.argv[1]); r = random.Random(7)
if sys.argv[2] == "narrow":
    cols = [{"name": "cat50", "kind": "categorical", "domain": [f"cat50_{i}" for i in range(50)]},
            {"name": "amount", "kind": "integer", "min": 0, "max": 1000000}]
    json.dump({"name": "wide", "columns": cols}, open("wide.schema.json", "w"))
    json.dump({"dataset": "wide", "steward": "bench", "purpose": "memory benchmark", "redisclosure": {"internalUseOnly": True}},
              open("wide.terms.json", "w"))
    with open("wide.csv", "w") as f:
        f.write("cat50,amount\n")
        for n in range(rows):
            f.write(f"cat50_{r.randrange(50)},{r.randrange(1000000)}\n")
    sys.exit(0)
cats = {"cat5": 5, "cat10": 10, "cat20": 20, "cat50": 50}
cols = [{"name": c, "kind": "categorical", "domain": [f"{c}_{i}" for i in range(k)]} for c, k in cats.items()]
cols += [{"name": f"x{i}", "kind": "fixedPoint", "fractionBits": 8, "min": 0, "max": 100000} for i in range(8)]
cols += [{"name": f"n{i}", "kind": "integer", "min": 0, "max": 1000000, "nullable": i < 2} for i in range(7)]
json.dump({"name": "wide", "columns": cols, "identifiers": [{"name": "ssn", "kind": "ssn"}]}, open("wide.schema.json", "w"))
json.dump({"dataset": "wide", "steward": "bench", "purpose": "memory benchmark", "redisclosure": {"internalUseOnly": True},
           "linkageColumns": ["ssn"]}, open("wide.terms.json", "w"))
with open("wide.csv", "w") as f:
    f.write(",".join(["ssn"] + [c["name"] for c in cols]) + "\n")
    for n in range(rows):
        v = [str(100000000 + r.randrange(800000000))]
        v += [f"{c}_{r.randrange(k)}" for c, k in cats.items()]
        v += [f"{r.random() * 99999:.2f}" for _ in range(8)]
        v += ["" if i < 2 and r.random() < 0.05 else str(r.randrange(1000000)) for i in range(7)]
        f.write(",".join(v) + "\n")
PY
PORTS=$(python3 -c "import socket;s=[socket.socket() for _ in range(6)];[x.bind(('127.0.0.1',0)) for x in s];print(','.join(str(x.getsockname()[1]) for x in s))")
$SMPC certs --study bench --out certs --ports "$(echo "$PORTS" | cut -d, -f1-3)" --upload-ports "$(echo "$PORTS" | cut -d, -f4-6)" --contributors steward > /dev/null
for id in 0 1 2; do
  $SMPC party serve --id $id --config certs/study.json --store store-$id --health-urls http://127.0.0.1:0 --log party-$id.jsonl > serve-$id.out &
  PIDS+=($!)
done
for id in 0 1 2; do until grep -q ready serve-$id.out 2>/dev/null; do sleep 0.2; done; done

/usr/bin/time -f "%e %M" -o contribute.time $SMPC contribute --config certs/study.json --dataset wide --file wide.csv \
  --schema wide.schema.json --terms wide.terms.json --batch-size "$BATCH" 2> contribute.err > contribute.out
read -r SECONDS_ RSS_KB < contribute.time
echo "rows=$ROWS shape=$SHAPE csv_mb=$(( $(stat -c %s wide.csv) / 1048576 )) batch=$BATCH (0: automatic)"
echo "contributor: ${SECONDS_} s, peak RSS $(( RSS_KB / 1024 )) MB"
for id in 0 1 2; do
  hwm=$(grep VmHWM /proc/${PIDS[$id]}/status | awk '{print $2}')
  stored=$(du -sb store-$id/bench/datasets | cut -f1)
  echo "party $id: peak RSS $(( hwm / 1024 )) MB, stored $(( stored / 1000000 )) MB ($stored bytes, $(( stored / ROWS )) per row)"
done
