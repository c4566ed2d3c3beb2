"""A learner's reading of the deck (``scripts/card_report.py``), on cards the official anki
package renders: the corpus deck passes every check, the last release's deck does not."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT

pytest.importorskip("anki.collection")
sys.path.insert(0, str(ROOT / "scripts"))
import card_report

#: The release before fronts were written for the corpus (0.2's dist/dockerqa.apkg).
LAST_RELEASE = FIXTURES / "anki" / "dockerqa-0.2.apkg"
#: Inline code longer than a phone's line may break (kept whole it would run off the card).
LONG_CODE = card_report.LONG_CODE


@pytest.fixture(scope="module")
def corpus_deck(tmp_path_factory: pytest.TempPathFactory) -> list[card_report.Card]:
    return list(card_report.cards(card_report.corpus_deck(tmp_path_factory.mktemp("deck"))))


def test_every_corpus_card_can_be_answered_and_graded(
    corpus_deck: list[card_report.Card],
) -> None:
    report = card_report.check(corpus_deck)
    assert (report.question_cards, report.red_flag_cards) == (88, 20)
    assert report.not_one_question == []
    assert report.meta_first == []
    assert report.code_first == []
    assert report.heads_folded == []
    assert report.red_flag_without_question == []


def test_the_measure_finds_what_the_last_release_got_wrong() -> None:
    report = card_report.check(list(card_report.cards(LAST_RELEASE)))
    assert report.question_cards == 88
    assert len(report.not_one_question) > 60  # "Interview topic: X. Explain …"
    assert "fundamentals/vm-vs-container" in " ".join(report.meta_first)
    assert any(k.startswith("scenarios/") for k in report.meta_first)  # weak answer first
    assert "medium/docker-compose-networks" in report.code_first
    assert any(k.startswith("fundamentals/what-happens") for k in report.heads_folded)
    assert len(report.red_flag_without_question) >= 19


@pytest.mark.browser
def test_no_card_is_wider_than_a_phone(
    corpus_deck: list[card_report.Card], browser: object
) -> None:
    report = card_report.Report()
    card_report.measure(corpus_deck, report)
    assert report.cards == 185
    left = {
        card: [p for p in problems if not card_report.is_long_code(p)]
        for card, problems in report.overflow.items()
    }
    assert {k: v for k, v in left.items() if v} == {}


@pytest.mark.browser
def test_the_phone_check_sees_the_last_release_overflow(browser: object) -> None:
    deck = [c for c in card_report.cards(LAST_RELEASE) if c.key.startswith("fundamentals/")]
    report = card_report.Report()
    card_report.measure(deck, report)
    problems = " ".join(p for ps in report.overflow.values() for p in ps)
    assert "code block hides" in problems
    assert "inline code split inside a word" in problems


def test_inline_steps_in_a_follow_up_answer_are_a_list(tmp_path: Path) -> None:
    deck = card_report.cards(card_report.corpus_deck(tmp_path))
    (card,) = [
        c
        for c in deck
        if c.key == "security-ecosystem/docker-socket-security" and c.template == "Follow-up 1"
    ]
    back = card.back.split("<hr id=answer>", 1)[1]
    assert back.count("<li>") == 4
