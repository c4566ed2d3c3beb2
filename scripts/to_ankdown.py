"""Write the library's questions in ankdown's input format: one card per question.

ankdown (a Markdown → Anki tool) reads ``.md`` files below a directory named after the deck;
in each, fields are separated by lines holding only ``%`` and cards by lines holding only
``---``. The first field (front) and second (back) are Markdown, the third is tags. Here the
front is the question's title (and its prompt), the back every other part under its label in
the order of the parts table (`dockerqa.model.PARTS`), as the main card of ``dockerqa export
anki`` holds them, then the follow-up chain, so both tools render the same Markdown. The
benchmark feeds this file to ``ankdown --highlight``.

Run: ``python scripts/to_ankdown.py OUT_DIR [--source PAGE.mdx]`` (writes OUT_DIR/docker/docker.md).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import dockerqa
from dockerqa.model import PARTS_BY_NAME, Question


def _separator_safe(markdown: str) -> str:
    """Lines that ankdown would take for separators, written in an equivalent Markdown form."""
    lines = []
    for line in markdown.split("\n"):
        stripped = line.strip()
        if stripped == "---":
            line = line.replace("---", "***")  # the same thematic break
        elif stripped == "%":
            line = line.replace("%", "\\%")
        lines.append(line)
    return "\n".join(lines)


def card(q: Question) -> str:
    """One ankdown card: front, back and tags."""
    front = f"**{q.title}**"
    if q.prompt:
        front += f"\n\n{q.prompt}"
    back = [
        f"**{label}**\n\n{text}"
        for spec, label, text in q.study_parts()
        if spec is None or spec.name != "prompt"  # on the front
    ]
    if q.follow_ups:
        chain = []
        for i, f in enumerate(q.follow_ups, 1):
            chain.append(f"{i}. {f.question}" + (f"\n\n   {f.answer}" if f.answer else ""))
        back.append(f"**{PARTS_BY_NAME['follow_ups'].label}**\n\n" + "\n".join(chain))
    fields = (_separator_safe(front), _separator_safe("\n\n".join(back)), ", ".join(q.tags))
    return "\n\n%\n\n".join(fields) + "\n"


def convert(library: dockerqa.Library) -> str:
    """The whole library as one ankdown file."""
    return "\n---\n\n".join(card(q) for q in library)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="directory to write DECK/DECK.md into")
    parser.add_argument("--source", help="page to convert (default: the bundled corpus)")
    parser.add_argument("--deck", default="docker", help="deck (and directory) name")
    args = parser.parse_args(argv)
    library = dockerqa.load(args.source)
    deck = args.out / args.deck
    deck.mkdir(parents=True, exist_ok=True)
    (deck / f"{args.deck}.md").write_text(convert(library), encoding="utf-8")
    print(f"{len(library)} cards → {deck / f'{args.deck}.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
