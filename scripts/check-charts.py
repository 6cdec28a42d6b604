#!/usr/bin/env python3
"""Checks that the charts of a notebook exported to HTML were drawn: opens the page in headless Chromium
(Debian's package), dumps the DOM after scripts ran, and requires, for every chart the extension emitted
(div.smpc-chart), a plotly SVG with drawn traces inside it. Exit 0 when all charts drew, 1 otherwise.
Usage: check-charts.py page.html [minimum-number-of-charts]"""
import os, re, subprocess, sys, tempfile

def dump_dom(html_path: str) -> str:
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    with tempfile.TemporaryDirectory() as profile:
        cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={profile}", "--virtual-time-budget=15000", "--dump-dom",
               "file://" + os.path.abspath(html_path)]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            sys.exit(f"chromium failed ({done.returncode}): {done.stderr[-2000:]}")
        return done.stdout

def main() -> int:
    path = sys.argv[1]
    minimum = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    dom = dump_dom(path)
    starts = [(m.start(), m.group(1), m.group(2)) for m in re.finditer(r'<div id="(smpc-chart-[0-9a-f]+)" class="smpc-chart[^"]*" data-chart-kind="(\w+)"', dom)]
    problems = []
    for k, (pos, chart_id, kind) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(dom)
        body = dom[pos:end]
        if 'class="main-svg"' not in body:
            problems.append(f"{chart_id} ({kind}): no plotly SVG")
            continue
        # Drawn traces: bars are path.point elements, heatmaps an <image>, fitted lines a path.js-line (coefficients:
        # markers, path.point), boxes path.box.
        drawn = {"bar": r'class="point"', "histogram": r'class="point"', "heatmap": r'<image', "regression": r'class="js-line"|class="point"', "box": r'class="box"'}
        marker = drawn.get(kind, r'class="trace')
        if not re.search(marker, body):
            problems.append(f"{chart_id} ({kind}): SVG without drawn traces ({marker})")
        else:
            print(f"drawn: {chart_id} ({kind})")
    if len(starts) < minimum:
        problems.append(f"expected at least {minimum} charts, found {len(starts)}")
    for p in problems:
        print("NOT DRAWN:", p)
    return 1 if problems else 0

if __name__ == "__main__":
    sys.exit(main())
