#!/usr/bin/env bash
# Installs each package of out/feed (the version scripts/pack-extension.sh wrote, out/feed/VERSION) into fresh projects
# outside the repository and uses it, as a user would:
#   engine[project]      a console app on Smpc.Analytics: a secret-shared sum and product equal the plaintext ones
#   study-api[project]   a console app on Smpc.Analytics.Studies: a demo study's counts by group equal the plaintext
#                        engine's on the same data, and a schema file loads (TableSchema.Load)
#   study-api[file-app]  the same as a .NET 10 file-based app (`#:package`, `dotnet run app.cs`)
#   smpc[tool-manifest]  `dotnet tool install Smpc.Cli` into a tool manifest; `dotnet smpc schema infer` on an example file
# (the extension is installed by every notebook run: scripts/test-notebooks.sh). Writes "<name> passed|failed" lines
# to <results-dir>/packages.results (scripts/test.sh sums them). Usage: scripts/test-packages.sh [results-dir]
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
results=$(mkdir -p "${1:-out/test-results}" && cd "${1:-out/test-results}" && pwd)
list="$results/packages.results"; : > "$list"
log="$results/packages"; rm -rf "$log"; mkdir -p "$log"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
record() { echo "$1 $2" | tee -a "$list"; }
version=$(cat out/feed/VERSION 2>/dev/null) || { for n in "engine[project]" "study-api[project]" "study-api[file-app]" "smpc[tool-manifest]"; do record "$n" failed; done; echo "no out/feed/VERSION: run scripts/pack-extension.sh first"; exit 1; }
work=$(mktemp -d /tmp/smpc-packages.XXXXXX)
trap 'rm -rf "$work"' EXIT
# A private package cache, so the packages come from the feed and not from an earlier run's cache.
export NUGET_PACKAGES="$work/packages"
cat > "$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="smpc-local" value="$root/out/feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
XML
status=0
run() {   # run NAME COMMAND…: records passed when the command exits 0
  local name=$1; shift
  if (cd "$work" && timeout --kill-after=15 600 "$@") > "$log/$name.log" 2>&1; then record "$name" passed
  else record "$name" failed; status=1; tail -20 "$log/$name.log"; fi
}

project() {   # project NAME PACKAGE: a fresh console project referencing PACKAGE at this version
  mkdir -p "$work/$1"
  cat > "$work/$1/$1.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings><Nullable>enable</Nullable></PropertyGroup>
  <ItemGroup><PackageReference Include="$2" Version="$version" /></ItemGroup>
</Project>
XML
}

project engine Smpc.Analytics
cat > "$work/engine/Program.cs" <<'CS'
using Smpc.Analytics.Engine;
// Three compute parties in this process: the sum and the element-wise product of secret-shared vectors, opened,
// against the same computed in the clear.
ulong[] a = [3, 14, 15, 92, 65], b = [2, 7, 18, 28, 18];
using var engine = new SecureEngine();
var x = engine.Share(a);
var y = engine.Share(b);
ulong sum = engine.Reveal(engine.Sum(x))[0];
ulong[] product = engine.Reveal(engine.Multiply(x, y));
ulong expectedSum = 0; foreach (var v in a) expectedSum += v;
bool ok = sum == expectedSum && product.SequenceEqual(a.Zip(b, (p, q) => p * q));
Console.WriteLine($"sum {sum} (plaintext {expectedSum}); products {string.Join(",", product)}: {(ok ? "equal" : "DIFFERENT")}");
return ok ? 0 : 1;
CS
run "engine[project]" dotnet run --project engine -c Release

project study Smpc.Analytics.Studies
cat > "$work/study/Program.cs" <<'CS'
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Studies;
// A demo study (three synthetic agencies, generated) on the secure engine and on the plaintext reference engine:
// the released counts by group must be the same. Then a steward's schema file loads.
using var secure = SecureStudy.OpenDemo(600);
using var plain = SecureStudy.OpenDemo(600, engine: new PlaintextEngine());
var s = secure.Count("veterans", "service_era").Table;
var p = plain.Count("veterans", "service_era").Table;
bool same = s.Rows.Count == p.Rows.Count && Enumerable.Range(0, (int)s.Rows.Count).All(i => Equals(s["count"][i], p["count"][i]) && Equals(s["status"][i], p["status"][i]));
Console.WriteLine(s);
var schema = TableSchema.Load(args[0]);
Console.WriteLine($"schema '{schema.Name}': {schema.Columns.Count} columns, {schema.Identifiers.Count} identifiers");
return same && schema.Columns.Count > 0 ? 0 : 1;
CS
cp data/synthetic/bank.schema.json "$work/bank.schema.json"
run "study-api[project]" dotnet run --project study -c Release -- "$work/bank.schema.json"

mkdir -p "$work/fileapp"
cp "$work/nuget.config" "$work/fileapp/nuget.config"
{ echo "#:package Smpc.Analytics.Studies@$version"; sed -n '/^using/,$p' "$work/study/Program.cs"; } > "$work/fileapp/app.cs"
run "study-api[file-app]" bash -c "cd fileapp && dotnet run app.cs -- '$work/bank.schema.json'"

run "smpc[tool-manifest]" bash -c "mkdir -p tool && cd tool && dotnet new tool-manifest && dotnet tool install Smpc.Cli --version '$version' --configfile ../nuget.config \
  && dotnet smpc schema infer '$root/data/examples/clinic.csv' > clinic.schema.json && grep -q '\"kind\": \"dateOfBirth\"' clinic.schema.json && dotnet tool list | grep -qi 'smpc.cli'"
exit $status
