#!/usr/bin/env bash
# Time of a contribution with the parties' threshold OPRF against the contributors' keyed hash: `smpc contribute` of
# ROWS rows (one SSN identifier, so ROWS identifiers to pseudonymise, and two analysis columns) to three
# `smpc party serve` processes on loopback, once per pseudonymiser, each in a fresh study. Prints the contributor's
# wall time and CPU time (user + system; the CPU time is the figure to compare on a shared machine), its peak RSS, each
# party's CPU time for the whole run (TLS, storing and the OPRF) and the OPRF evaluations at party 0. Not a test: run by hand, e.g.
# `bench/contribute-oprf.sh 100000` (the default).
set -euo pipefail
ROWS=${1:-100000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/smpc-contribute-oprf.XXXXXX)
SMPC="dotnet $ROOT/src/Smpc.Cli/bin/Release/net10.0/smpc.dll"
[ -f "$ROOT/src/Smpc.Cli/bin/Release/net10.0/smpc.dll" ] || dotnet build "$ROOT/src/Smpc.Cli/Smpc.Cli.csproj" -c Release -nologo -v q
PIDS=()
stop_parties() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done; PIDS=(); }
cleanup() { stop_parties; rm -rf "$WORK"; }
trap cleanup EXIT
cd "$WORK"

python3 - "$ROWS" <<'PY'
import json, random, sys
rows = int(sys.argv[1]); r = random.Random(3)
json.dump({"name": "people", "columns": [{"name": "region", "kind": "categorical", "domain": ["north", "south", "east", "west"]},
           {"name": "income", "kind": "integer", "min": 0, "max": 1000000}],
           "identifiers": [{"name": "ssn", "kind": "ssn"}]}, open("people.schema.json", "w"))
json.dump({"dataset": "people", "steward": "bench", "purpose": "OPRF benchmark", "redisclosure": {"internalUseOnly": True},
           "linkageColumns": ["ssn"]}, open("people.terms.json", "w"))
with open("people.csv", "w") as f:
    f.write("ssn,region,income\n")
    for n in range(rows):
        f.write(f"{100000000 + r.randrange(800000000)},{r.choice(['north', 'south', 'east', 'west'])},{r.randrange(1000000)}\n")
PY

run() {
  local kind=$1 dir=study-$1
  mkdir -p "$dir" && cd "$dir"
  PORTS=$(python3 -c "import socket;s=[socket.socket() for _ in range(6)];[x.bind(('127.0.0.1',0)) for x in s];print(','.join(str(x.getsockname()[1]) for x in s))")
  $SMPC certs --study "bench-$kind" --out certs --ports "$(echo "$PORTS" | cut -d, -f1-3)" --upload-ports "$(echo "$PORTS" | cut -d, -f4-6)" \
    --contributors steward --pseudonymiser "$kind" > /dev/null
  for id in 0 1 2; do
    $SMPC party serve --id $id --config certs/study.json --store store-$id --health-urls http://127.0.0.1:0 --log party-$id.jsonl > serve-$id.out &
    PIDS+=($!)
  done
  for id in 0 1 2; do until grep -q ready serve-$id.out 2>/dev/null; do sleep 0.2; done; done
  /usr/bin/time -f "%e %M %U %S" -o contribute.time $SMPC contribute --config certs/study.json --dataset people --file ../people.csv \
    --schema ../people.schema.json --terms ../people.terms.json 2> contribute.err > contribute.out
  read -r SECONDS_ RSS_KB USER_ SYS_ < contribute.time
  used=$(grep -ho '"message":"[0-9]* OPRF evaluations"' party-0.jsonl | grep -o '[0-9]*' || echo 0)
  tick=$(getconf CLK_TCK)
  cpu=""
  for id in 0 1 2; do cpu="$cpu $(awk -v t="$tick" '{printf "%.1f", ($14 + $15) / t}' /proc/${PIDS[$id]}/stat)"; done
  echo "$kind: rows=$ROWS identifiers=$ROWS contributor ${SECONDS_} s wall, $(echo "$USER_ + $SYS_" | bc) s CPU, peak RSS $(( RSS_KB / 1024 )) MB;" \
       "parties' CPU s:${cpu}; OPRF evaluations at party 0: ${used:-0}; load average $(cut -d' ' -f1 /proc/loadavg)"
  stop_parties
  cd ..
}
run keyed-hash
run oprf
