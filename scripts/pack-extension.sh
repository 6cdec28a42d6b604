#!/usr/bin/env bash
# Packs every package of the repository — the notebook extension (Smpc.Analytics.Interactive, with the chart builder
# inside) and the packages it depends on, the report library and the smpc tool — into
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
# Every package of the repository under this one version (IsPackable in its project): the engine (Smpc.Analytics),
# Smpc.Governance, Smpc.Analytics.Synthetic, the study API (Smpc.Analytics.Studies), the report
# (Smpc.Analytics.Reporting), the notebook extension (Smpc.Analytics.Interactive, depending on the study API) and the
# smpc tool (Smpc.Cli), each with its README, the licence and a symbol package (.snupkg).
dotnet pack Smpc.Analytics.sln -c Release -nologo -v q -p:Version="$version" -o "$feed" >&2
# Keep the feed small: the five newest versions of each package are enough.
for id in $(ls -1 "$feed"/*.nupkg | sed -E 's#.*/##; s#\.0\.1\.0-dev\..*##' | sort -u); do
  ls -1t "$feed/$id".0.1.0-dev.*.nupkg 2>/dev/null | tail -n +6 | xargs -r rm -f
  ls -1t "$feed/$id".0.1.0-dev.*.snupkg 2>/dev/null | tail -n +6 | xargs -r rm -f
done
echo "$version" > "$feed/VERSION"
echo "$version"
