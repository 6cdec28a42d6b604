#!/usr/bin/env python3
"""Checks the layout of the packed notebook extension: extension.dib where .NET Interactive looks for it, the
engine and the study API beside the extension, the chart builder (with FSharp.Core and Plotly.NET) in lib/net10.0/chartbuilder/,
and no dependency on .NET Interactive, Plotly.NET or FSharp.Core (those would load into the host's default
context and break it). Usage: check-package.py Smpc.Analytics.Interactive.<version>.nupkg"""
import re, sys, zipfile

def main() -> int:
    package = zipfile.ZipFile(sys.argv[1])
    names = set(package.namelist())
    nuspec = package.read(next(n for n in names if n.endswith(".nuspec"))).decode("utf-8")
    dependencies = set(re.findall(r'<dependency id="([^"]+)"', nuspec))
    problems = []
    for required in ["interactive-extensions/dotnet/extension.dib", "lib/net10.0/Smpc.Analytics.Interactive.dll", "lib/net10.0/Smpc.Analytics.dll", "lib/net10.0/Smpc.Analytics.Synthetic.dll", "lib/net10.0/Smpc.Analytics.Studies.dll",
                     "lib/net10.0/chartbuilder/Smpc.Charts.dll", "lib/net10.0/chartbuilder/Plotly.NET.dll", "lib/net10.0/chartbuilder/FSharp.Core.dll"]:
        if required not in names:
            problems.append(f"missing {required}")
    for name in names:
        if name.startswith("lib/net10.0/") and name.count("/") == 2 and re.search(r"(Plotly|FSharp)", name):
            problems.append(f"{name} would be a reference of the notebook; it belongs in lib/net10.0/chartbuilder/")
    for forbidden in dependencies:
        if re.match(r"(Microsoft\.DotNet\.Interactive|Plotly|FSharp\.Core)", forbidden):
            problems.append(f"package depends on {forbidden}")
    dib = "interactive-extensions/dotnet/extension.dib"
    if dib in names and "SecureAnalyticsExtension.Load(" not in package.read(dib).decode("utf-8"):
        problems.append("extension.dib does not call SecureAnalyticsExtension.Load(...)")
    for p in problems:
        print("PACKAGE:", p)
    if not problems:
        print(f"package layout ok; dependencies: {', '.join(sorted(dependencies))}")
    return 1 if problems else 0

if __name__ == "__main__":
    sys.exit(main())
