#!/usr/bin/env python3
"""Checks the packages of one version in a feed. The notebook extension: extension.dib where .NET Interactive looks
for it, the extension assembly, the chart builder (with FSharp.Core and Plotly.NET) in lib/net10.0/chartbuilder/, a
dependency on the study API and reporting packages of the same version (the engine comes with them), and no dependency on .NET
Interactive, Plotly.NET or FSharp.Core (those would load into the host's default context and break it). Every
package: its README (shown as the package's readme), the licence (Apache-2.0 expression and file), a symbol
package beside it; the smpc tool: a DotnetTool package with the `smpc` command.
Usage: check-package.py FEED VERSION"""
import os, re, sys, zipfile

PACKAGES = ["Smpc.Analytics", "Smpc.Governance", "Smpc.Analytics.Synthetic", "Smpc.Analytics.Studies",
            "Smpc.Analytics.Reporting", "Smpc.Analytics.Interactive", "Smpc.Cli"]

def nuspec_of(package):
    return package.read(next(n for n in package.namelist() if n.endswith(".nuspec"))).decode("utf-8")

def check_common(feed, pid, version, problems):
    path = os.path.join(feed, f"{pid}.{version}.nupkg")
    if not os.path.exists(path):
        problems.append(f"{pid}: no package {path}")
        return None
    package = zipfile.ZipFile(path)
    names = set(package.namelist())
    nuspec = nuspec_of(package)
    if "<readme>README.md</readme>" not in nuspec or "README.md" not in names:
        problems.append(f"{pid}: no README.md as the package readme")
    if '<license type="expression">Apache-2.0</license>' not in nuspec or "LICENSE" not in names:
        problems.append(f"{pid}: licence expression or LICENSE file missing")
    if not os.path.exists(os.path.join(feed, f"{pid}.{version}.snupkg")):
        problems.append(f"{pid}: no symbol package {pid}.{version}.snupkg")
    return package

def main() -> int:
    feed, version = sys.argv[1], sys.argv[2]
    problems = []
    packages = {pid: check_common(feed, pid, version, problems) for pid in PACKAGES}

    ext = packages["Smpc.Analytics.Interactive"]
    if ext is not None:
        names = set(ext.namelist())
        dependencies = dict(re.findall(r'<dependency id="([^"]+)" version="([^"]+)"', nuspec_of(ext)))
        for required in ["interactive-extensions/dotnet/extension.dib", "lib/net10.0/Smpc.Analytics.Interactive.dll",
                         "lib/net10.0/chartbuilder/Smpc.Charts.dll", "lib/net10.0/chartbuilder/Plotly.NET.dll", "lib/net10.0/chartbuilder/FSharp.Core.dll"]:
            if required not in names:
                problems.append(f"extension: missing {required}")
        for name in names:
            if name.startswith("lib/net10.0/") and name.count("/") == 2 and re.search(r"(Plotly|FSharp)", name):
                problems.append(f"extension: {name} would be a reference of the notebook; it belongs in lib/net10.0/chartbuilder/")
            if re.match(r"lib/net10.0/Smpc\.Analytics(\.Studies|\.Synthetic|\.Reporting)?\.dll$", name):
                problems.append(f"extension: {name} is inside the package; it comes from its own package")
        for needed in ["Smpc.Analytics.Studies", "Smpc.Analytics.Reporting"]:
            if not dependencies.get(needed, "").startswith(version):
                problems.append(f"extension: no dependency on {needed} {version} (has {dependencies})")
        for forbidden in dependencies:
            if re.match(r"(Microsoft\.DotNet\.Interactive|Plotly|FSharp\.Core)", forbidden):
                problems.append(f"extension: depends on {forbidden}")
        dib = "interactive-extensions/dotnet/extension.dib"
        if dib in names and "SecureAnalyticsExtension.Load(" not in ext.read(dib).decode("utf-8"):
            problems.append("extension: extension.dib does not call SecureAnalyticsExtension.Load(...)")

    tool = packages["Smpc.Cli"]
    if tool is not None:
        nuspec = nuspec_of(tool)
        if '<packageType name="DotnetTool"' not in nuspec:
            problems.append("Smpc.Cli: not a DotnetTool package")
        if not any(n.endswith("DotnetToolSettings.xml") for n in tool.namelist()) or 'Command Name="smpc"' not in tool.read(next(n for n in tool.namelist() if n.endswith("DotnetToolSettings.xml"))).decode("utf-8"):
            problems.append("Smpc.Cli: no `smpc` command in DotnetToolSettings.xml")

    for p in problems:
        print("PACKAGE:", p)
    if not problems:
        print(f"packages ok: {', '.join(PACKAGES)} {version}")
    return 1 if problems else 0

if __name__ == "__main__":
    sys.exit(main())
