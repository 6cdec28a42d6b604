#!/usr/bin/env bash
# Packs the notebook extension (Smpc.Analytics.Interactive, with the engine and the chart builder inside) into
# the local feed out/feed with a new version each time: NuGet and .NET Interactive cache packages by version,
# so a re-pack under the same version would never be picked up. Notebooks load the newest version from that
# feed (notebooks/nuget.config lists it; cells use `#r "nuget: Smpc.Analytics.Interactive, *-*"`).
# Prints the version; writes it to out/feed/VERSION.
set -euo pipefail
cd "$(dirname "$0")/.."
feed="$(pwd)/out/feed"
mkdir -p "$feed"
version="0.1.0-dev.$(date -u +%Y%m%d%H%M%S)"
# Never reuse a version, even when two packs fall within one second.
while [ -e "$feed/smpc.analytics.interactive.$version.nupkg" ] || [ -e "$feed/Smpc.Analytics.Interactive.$version.nupkg" ]; do
  sleep 1; version="0.1.0-dev.$(date -u +%Y%m%d%H%M%S)"
done
dotnet pack src/Smpc.Analytics.Interactive/Smpc.Analytics.Interactive.csproj -c Release -nologo -v q \
  -p:Version="$version" -o "$feed" >&2
# The reporting library (study report and disclosure-review packet), under the same version: notebooks that write a
# report load it with `#r "nuget: Smpc.Analytics.Reporting, *-*"` after the extension (which carries the engine it uses).
dotnet pack src/Smpc.Analytics.Reporting/Smpc.Analytics.Reporting.csproj -c Release -nologo -v q \
  -p:Version="$version" -o "$feed" >&2
# Keep the feed small: the five newest packages are enough.
ls -1t "$feed"/Smpc.Analytics.Interactive.*.nupkg 2>/dev/null | tail -n +6 | xargs -r rm -f
ls -1t "$feed"/Smpc.Analytics.Reporting.*.nupkg 2>/dev/null | tail -n +6 | xargs -r rm -f
echo "$version" > "$feed/VERSION"
echo "$version"
