"""Count the words a learner sees on each question card's back before unfolding anything.

Imports a deck (default: a fresh build of the bundled corpus) into a throwaway collection with
the official ``anki`` package, renders every card of the question template (``Card``) as Anki
does (``card.render_output()``), keeps the back below ``<hr id=answer>`` (the front is not
counted), drops what is folded — the contents of every ``<details>`` except its ``<summary>``
label — and counts the visible words. Prints one line per card with more than ``--over``
words, then the count, median and maximum.

Usage: ``python scripts/back_words.py [DECK.apkg] [--over N]``
"""

from __future__ import annotations

import argparse
import html.parser
import statistics
import sys
import tempfile
from pathlib import Path

from card_report import cards, corpus_deck  # the deck as Anki renders it, the corpus's deck

from dockerqa.study import word_count

#: The question card's template (0.1 and 0.2 decks alike).
QUESTION_CARD = "Card"
_HIDDEN = frozenset({"style", "script"})


class _Visible(html.parser.HTMLParser):
    """Text outside ``<details>``, ``<style>`` and ``<script>``; a closed fold's label (the
    ``<summary>`` of an outermost ``<details>``) counts, as it is shown."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self._details = 0
        self._summary = 0
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._details += tag == "details"
        self._summary += tag == "summary"
        self._hidden += tag in _HIDDEN
        if tag in ("br", "p", "div", "li", "td", "th", "pre", "summary"):
            self.text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self._details -= tag == "details" and self._details > 0
        self._summary -= tag == "summary" and self._summary > 0
        self._hidden -= tag in _HIDDEN and self._hidden > 0

    def handle_data(self, data: str) -> None:
        outer_summary = self._details == 1 and self._summary  # an open fold's label
        if not self._hidden and (not self._details or outer_summary):
            self.text.append(data)


def visible_words(back_html: str) -> int:
    """Words shown on a card's back HTML, folded parts left out."""
    parser = _Visible()
    parser.feed(back_html.split("<hr id=answer>", 1)[-1])
    parser.close()
    return word_count("".join(parser.text))


def back_words(apkg: Path) -> dict[str, int]:
    """Visible words on the back of every question card in ``apkg``, by note sort field."""
    return {c.key: visible_words(c.back) for c in cards(apkg) if c.template == QUESTION_CARD}


def summary(counts: dict[str, int], over: int) -> str:
    """``N cards, median M, max X (id), K over L``."""
    values = sorted(counts.values())
    worst = max(counts, key=lambda k: counts[k])
    big = sum(v > over for v in values)
    return (
        f"{len(values)} cards, median {statistics.median(values):g}, max {values[-1]} ({worst}), "
        f"{big} over {over}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("deck", nargs="?", type=Path, help="an .apkg (default: the corpus)")
    parser.add_argument("--over", type=int, default=250, help="list cards with more words")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="dockerqa-back-words-") as tmp:
        deck = args.deck or corpus_deck(Path(tmp))
        counts = back_words(deck)
    for key, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        if n > args.over:
            print(f"{n:>5}  {key}")
    print(summary(counts, args.over))
    return 0


if __name__ == "__main__":
    sys.exit(main())
