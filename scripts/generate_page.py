"""Write a page N times the size of the bundled corpus, in the corpus's own format.

Copy 1 is the corpus page verbatim; copies 2..N repeat its sections with unique section
headings, question numbers and titles (so unique question ids), e.g. ``## 11. Fundamentals &
Architecture (copy 2)`` and ``<Accordion title="101. VM vs Container (copy 2)">``. Everything
else — tables, code, callouts, follow-up chains — keeps its form, so the page exercises every
construct the corpus has, N times. A matching ``NAME.toml`` is written beside
it (the corpus metadata plus one section entry per copied section).

Bodies are the corpus's with the copy number after a few common words ("the2", "docker2", "RUN2":
never in labels, tags, titles or fence lines), so each copy's Markdown is text of its own — as
in a real page 50 times longer — and a cache of rendered text cannot make a copy free.

Run: ``python scripts/generate_page.py 50 /tmp/pages/docker-x50.mdx``
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
import tomllib
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "docker.mdx"

_SECTION = re.compile(r"^## (.+)$")
_TITLE = re.compile(r'^(\s*<Accordion title=")([^"]*)(">\s*)$')
_NUMBERED = re.compile(r"^(\d+)(\.\s+.+)$")
_LABELLED_NUMBER = re.compile(r"^((?:Scenario|Work[- ]?Sample)\s+)(\d+)(\s*:\s*.+)$", re.I)
#: A title's subtitle starts at a spaced dash; the copy marker goes before it, into the topic.
_SUBTITLE = re.compile(r"\s+(?:—|--|–)\s+")
#: Common words that get the copy number in bodies, so each copy's Markdown is distinct text.
_COMMON_WORD = re.compile(r"\b(the|The|is|and|of|in|a|for|docker|Docker|RUN|run)\b")
_TAG_LINE = re.compile(r"^\s*</?[A-Z]")


def _copy_heading(heading: str, k: int) -> str:
    m = _NUMBERED.match(heading)
    if m:
        heading = f"{int(m.group(1)) + 10 * (k - 1)}{m.group(2)}"
    return f"{heading} (copy {k})"


def _copy_title(title: str, k: int) -> str:
    if m := _NUMBERED.match(title):
        title = f"{int(m.group(1)) + 100 * (k - 1)}{m.group(2)}"
    elif m := _LABELLED_NUMBER.match(title):
        title = f"{m.group(1)}{int(m.group(2)) + 100 * (k - 1)}{m.group(3)}"
    parts = _SUBTITLE.split(title, maxsplit=1)
    dash = _SUBTITLE.search(title)
    if dash is None:
        return f"{title} (copy {k})"
    return f"{parts[0]} (copy {k}){dash.group(0)}{parts[1]}"


def _split(text: str) -> tuple[list[str], list[list[str]]]:
    """The lines before the first section heading, and each section's lines."""
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if _SECTION.match(line)]
    if not starts:
        raise SystemExit(f"{CORPUS}: no '## ' section heading")
    bounds = [*starts, len(lines)]
    return lines[: starts[0]], [lines[a:b] for a, b in itertools.pairwise(bounds)]


def _copy_section(lines: list[str], k: int) -> list[str]:
    out = []
    for line in lines:
        if m := _SECTION.match(line):
            line = f"## {_copy_heading(m.group(1), k)}"
        elif m := _TITLE.match(line):
            line = f"{m.group(1)}{_copy_title(m.group(2), k)}{m.group(3)}"
        elif not _TAG_LINE.match(line):
            line = _COMMON_WORD.sub(rf"\g<1>{k}", line)
        out.append(line)
    return out


def generate(times: int, source: Path = CORPUS) -> tuple[str, str]:
    """The page text and its metadata (TOML) for a page `times` the size of `source`."""
    if times < 1:
        raise ValueError("times must be at least 1")
    text = source.read_text(encoding="utf-8")
    preamble, sections = _split(text)
    lines = list(preamble)
    for section in sections:
        lines += section
    for k in range(2, times + 1):
        for section in sections:
            if lines and lines[-1] != "":
                lines.append("")
            lines += _copy_section(section, k)
    page = "\n".join(lines)
    if not page.endswith("\n"):
        page += "\n"

    meta_text = source.with_suffix(".toml").read_text(encoding="utf-8")
    meta = tomllib.loads(meta_text)
    extra = []
    for k in range(2, times + 1):
        for entry in meta.get("sections", []):
            extra.append("\n[[sections]]")
            extra.append(f"heading = {json.dumps(_copy_heading(entry['heading'], k))}")
            if "id" in entry:
                extra.append(f"id = {json.dumps(str(entry['id']) + f'-{k}')}")
            if "level" in entry:
                extra.append(f"level = {json.dumps(entry['level'])}")
    toml = meta_text.rstrip("\n") + "\n" + "\n".join(extra) + ("\n" if extra else "")
    return page, toml


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("times", type=int, help="how many copies of the corpus (1 = the corpus)")
    parser.add_argument("out", type=Path, help="page to write (NAME.mdx; NAME.toml goes beside)")
    args = parser.parse_args(argv)
    page, toml = generate(args.times)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(page, encoding="utf-8")
    args.out.with_suffix(".toml").write_text(toml, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
