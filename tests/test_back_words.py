"""How much a learner reads on a question card's back before unfolding anything
(``scripts/back_words.py``), measured on cards the official anki package renders."""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT

pytest.importorskip("anki.collection")
sys.path.insert(0, str(ROOT / "scripts"))
import back_words

#: Targets: a back opens with about a screen of text, never a wall of it.
MEDIAN_WORDS, MAX_WORDS = 120, 250


def test_visible_words_leave_out_the_front_and_folded_parts() -> None:
    html = (
        "<p>front words here</p>\n<hr id=answer>\n<style>.x { color: red }</style>"
        "<p>one two</p><details><summary>Rest of the answer</summary><p>folded words</p>"
        "<details><summary>inner</summary>deeper</details>still folded</details><p>three</p>"
    )
    assert back_words.visible_words(html) == 7  # one two, Rest of the answer, three


def test_corpus_backs_open_with_a_screen_of_text(tmp_path: Path) -> None:
    counts = back_words.back_words(back_words.corpus_deck(tmp_path))
    assert len(counts) == 88
    print("\n" + back_words.summary(counts, MAX_WORDS))
    assert statistics.median(counts.values()) <= MEDIAN_WORDS
    assert {k: v for k, v in counts.items() if v > MAX_WORDS} == {}


def test_the_measure_sees_a_deck_that_shows_everything() -> None:
    # 0.1 showed every part of the back at once: the same measure finds it far over.
    counts = back_words.back_words(FIXTURES / "anki" / "dockerqa-0.1.apkg")
    assert len(counts) == 88
    assert statistics.median(counts.values()) > MEDIAN_WORDS
    assert sum(v > MAX_WORDS for v in counts.values()) > 20
