"""Benchmark: how fast dockerqa parses and exports, as ratios to a baseline in the same run.

Machines are noisy, so targets compare ratios measured in one run, never absolute seconds:
the baseline is markdown-it-py tokenizing the whole corpus once, unindented (the least any
Markdown-based parser of this page must do).

Run: ``python scripts/benchmark.py [--repeat N]``; exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from markdown_it import MarkdownIt

import dockerqa
from dockerqa._load import bundled_source, load_meta

#: Upper bounds, as multiples of the baseline.
TARGETS = {
    "parse corpus": 2.5,
    "export json": 1.0,
    "export csv": 5.0,
    "export html": 5.0,
    "export anki": 8.0,
}


def best_of(repeat: int, func: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (best is kept)")
    args = parser.parse_args()

    source = bundled_source()
    text = source.read_text(encoding="utf-8")
    meta = load_meta(source)
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    # Bodies are indented four spaces; unindented, they tokenize as the Markdown they are.
    flat = "\n".join(line.strip() for line in text.split("\n"))
    baseline = best_of(args.repeat, lambda: md.parse(flat))
    library = dockerqa.loads(text, file="corpus/docker.mdx", meta=meta)

    results = {"parse corpus": best_of(args.repeat, lambda: dockerqa.loads(text, meta=meta))}
    with tempfile.TemporaryDirectory() as tmp:
        for name in sorted(dockerqa.available_exporters()):
            dest = Path(tmp) / f"out.{name}"
            dockerqa.export(library, name, dest)  # warm-up: imports, templates
            results[f"export {name}"] = best_of(
                args.repeat, lambda n=name, d=dest: dockerqa.export(library, n, d)
            )

    print(f"baseline (markdown-it, unindented, {len(text):,} chars): {baseline * 1000:.1f} ms")
    failed = False
    for name, seconds in results.items():
        ratio = seconds / baseline
        target = TARGETS.get(name)
        verdict = "" if target is None else ("ok" if ratio <= target else "MISSED")
        failed |= verdict == "MISSED"
        limit = f"≤ {target:g}x" if target else ""
        print(f"{name:<14} {seconds * 1000:8.1f} ms  {ratio:6.1f}x  {limit:>8}  {verdict}")
    print(f"median ratio: {statistics.median(r / baseline for r in results.values()):.1f}x")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
