#!/usr/bin/env bash
# The main job (`smpc study run`) with its three compute parties as three `smpc party --serve` processes, every link
# (party–party and analyst–party) through an `smpc relay` with the given profile, against the in-process run of the
# same checkout; asserts that both release the same tables and linkages, and prints seconds, rounds and ratios.
#   bench/study-wan.sh [--services] [PROFILE ...]   e.g. bench/study-wan.sh wan20   (default: wan20)
# --services: the parties are `smpc party serve` services with stores, the plan's datasets are uploaded as their stewards
# do (`smpc contribute`'s code), and `smpc study run --connect` runs the plan as the analyst (one request per join or
# query); without it the parties are `smpc party --serve` driven command by command (`smpc study run --config`).
# PROFILE is lan, wan20, wan60, RTT-ms/Mbit, or "direct" (three processes, no relay); with ":parties" appended
# (e.g. wan20:parties) only the links between the parties pass the relay and the analyst reaches them directly.
# Parties on 127.0.0.1 ports BASE..BASE+2 (default 47600), relays on BASE+10..BASE+12. Printouts go to
# bench/results/study-wan-<UTC time>/ (OUT=dir); the study's certificates and keys stay in a temporary folder.
set -euo pipefail
services=0; [ "${1:-}" = --services ] && { services=1; shift; }
profiles=("$@"); [ ${#profiles[@]} -eq 0 ] && profiles=(wan20)
root=$(git rev-parse --show-toplevel)
cd "$root"
base=${BASE:-47600}
out=${OUT:-$root/bench/results/study-wan-$(date -u +%Y%m%d-%H%M)}
mkdir -p "$out"
dotnet build -c Release src/Smpc.Cli -nologo -v q
smpc=(dotnet "$root/src/Smpc.Cli/bin/Release/net10.0/smpc.dll")
certs=$(mktemp -d)
pids=()
stop() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done; pids=(); }
trap 'stop; rm -rf "$certs"' EXIT

# Certificates, then one study.json per role: party i dials the other parties at their relays; the analyst all three.
if [ $services = 1 ]; then
  "${smpc[@]}" certs --study study-wan --out "$certs" --ports "$base,$((base + 1)),$((base + 2))" --contributors veterans,bank,survey --analyst study-analyst > /dev/null
else
  "${smpc[@]}" certs --study study-wan --out "$certs" --ports "$base,$((base + 1)),$((base + 2))" > /dev/null
fi
relayed() { local s=(); for j in 0 1 2; do [ "$j" = "${1:-}" ] || s+=(-e "s/\"port\": $((base + j)),/\"port\": $((base + 10 + j)),/"); done; sed "${s[@]}" "$certs/study.json"; }
for i in 0 1 2; do relayed "$i" > "$certs/study-p$i.json"; done
relayed > "$certs/study-analyst.json"

# Summary of one printout: seconds (from `time`), the sum of rounds and bytes of every release and linkage.
summary() { awk '/rounds,/ { s = $0; sub(/.*\(/, "", s); split(s, f, ", "); rounds += f[2] + 0 } /^real/ { t = $2 } END { printf "%s %d\n", t, rounds }' "$1"; }
tag() { local t=${1//\//-}; echo "${t//:/-}"; }
timed() { local name=$1; shift; { time "$@"; } > "$out/$name.txt" 2>&1; }

echo "in-process run..."
timed inproc "${smpc[@]}" study run --out "$out/inproc"
for profile in "${profiles[@]}"; do
  echo "three processes, $profile..."
  if [ "$profile" = direct ]; then party_config() { echo "$certs/study.json"; }; analyst_config=$certs/study.json
  else
    party_config() { echo "$certs/study-p$1.json"; }; analyst_config=$certs/study-analyst.json
    [ "${profile%:parties}" != "$profile" ] && analyst_config=$certs/study.json
    "${smpc[@]}" relay --profile "${profile%:parties}" \
      --listen "127.0.0.1:$((base + 10))" --to "127.0.0.1:$base" \
      --listen "127.0.0.1:$((base + 11))" --to "127.0.0.1:$((base + 1))" \
      --listen "127.0.0.1:$((base + 12))" --to "127.0.0.1:$((base + 2))" > "$out/relay-$(tag "$profile").txt" 2>&1 &
    pids+=($!)
  fi
  for i in 0 1 2; do
    if [ $services = 1 ]; then
      rm -rf "$certs/store-$i"
      "${smpc[@]}" party serve --id "$i" --config "$(party_config "$i")" --store "$certs/store-$i" > "$out/party-$i-$(tag "$profile").txt" 2>&1 &
    else
      "${smpc[@]}" party --id "$i" --config "$(party_config "$i")" --serve --connect-timeout 120 > "$out/party-$i-$(tag "$profile").txt" 2>&1 &
    fi
    pids+=($!)
  done
  if [ $services = 1 ]; then
    timed "remote-$(tag "$profile")" "${smpc[@]}" study run --connect "$analyst_config" --out "$out/remote-$(tag "$profile")"
  else
    timed "remote-$(tag "$profile")" "${smpc[@]}" study run --config "$analyst_config" --out "$out/remote-$(tag "$profile")"
  fi
  stop
done

# The same answers: every release's outcome and table, and every linkage's rows, equal to the in-process run's.
python3 - "$out" $(for p in "${profiles[@]}"; do tag "$p"; done) <<'EOF'
import json, sys
out, profiles = sys.argv[1], sys.argv[2:]
def answers(run):
    d = json.load(open(f"{out}/{run}/disclosure-review.json"))
    return ([(r["id"], r["outcome"], r["table"]) for r in d["releases"]], [(l["name"], l["matchCounts"], l["joinedRows"]) for l in d["linkages"]])
reference = answers("inproc")
for p in profiles:
    mine = answers(f"remote-{p}")
    if mine != reference:
        diff = [a[0] for a, b in zip(mine[0], reference[0]) if a != b]
        sys.exit(f"remote-{p}: answers differ from the in-process run (releases {diff}, linkages equal: {mine[1] == reference[1]})")
    print(f"remote-{p}: {len(reference[0])} releases and {len(reference[1])} linkages identical to the in-process run")
EOF

# Keep the printouts (the reports and packets were compared above).
rm -rf "$out/inproc" "$out"/remote-*/

printf '| run | seconds | rounds | ratio to in-process |\n|---|---:|---:|---:|\n'
read -r t0 r0 < <(summary "$out/inproc.txt")
secs() { awk -v t="$1" 'BEGIN { n = split(t, a, /[ms]/); printf "%.1f", a[1] * 60 + a[2] }'; }
printf '| in-process | %s | %s | 1.0 |\n' "$(secs "$t0")" "$r0"
for profile in "${profiles[@]}"; do
  read -r t r < <(summary "$out/remote-$(tag "$profile").txt")
  printf '| three processes, %s | %s | %s | %.1f |\n' "$profile" "$(secs "$t")" "$r" "$(awk -v a="$(secs "$t")" -v b="$(secs "$t0")" 'BEGIN { print a / b }')"
done
