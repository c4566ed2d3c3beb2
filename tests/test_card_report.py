"""A learner's reading of the deck (``scripts/card_report.py``), on cards the official anki
package renders: the corpus deck passes every check, the last release's deck does not."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from engines import Tab

import dockerqa
from conftest import FIXTURES, ROOT

pytest.importorskip("anki.collection")
sys.path.insert(0, str(ROOT / "scripts"))
import card_report

#: The release before fronts were written for the corpus (0.2's dist/dockerqa.apkg).
LAST_RELEASE = FIXTURES / "anki" / "dockerqa-0.2.apkg"


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
    corpus_deck: list[card_report.Card], browser: object, capsys: pytest.CaptureFixture[str]
) -> None:
    report = card_report.check(corpus_deck)
    card_report.measure(corpus_deck, report)
    assert report.cards == 185
    assert report.overflow == {}  # long inline code included: it wraps only after / , = - .
    # README shows what the script prints for the corpus, and the same checks for 0.2's deck
    card_report.print_report(report, 10)
    last = card_report.check(list(card_report.cards(LAST_RELEASE)))
    card_report.print_report(last, 3)
    corpus, before = _readme_blocks()
    assert capsys.readouterr().out == corpus + before.split("cards with horizontal")[0]


def _readme_blocks() -> tuple[str, str]:
    """The script's output for the corpus and for 0.2's deck, as README shows them."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    text = readme[readme.index("`scripts/card_report.py` reads a deck") :]
    blocks = re.findall(r"\n```\n(.*?)```\n", text, re.S)
    return blocks[0], blocks[1]


@pytest.mark.browser
def test_the_phone_check_sees_the_last_release_overflow(browser: object) -> None:
    sections = ("fundamentals/", "advanced/")
    deck = [c for c in card_report.cards(LAST_RELEASE) if c.key.startswith(sections)]
    report = card_report.Report()
    card_report.measure(deck, report)
    problems = " ".join(p for ps in report.overflow.values() for p in ps)
    assert "code block hides" in problems
    assert "inline code split inside a word (17 characters): distrol|ess/static" in problems
    assert "inline code split inside a word (8 characters): --|secret" in problems


#: A card style where long inline code cannot wrap: such code runs past the card's edge.
_UNWRAPPED_CODE = ".dq :not(pre) > code { overflow-wrap: normal; white-space: nowrap; }"


@pytest.mark.browser
def test_the_phone_check_sees_text_the_card_cuts_off(
    corpus_deck: list[card_report.Card], tab: Tab, tmp_path: Path
) -> None:
    # A phone's window widens to fit a long unbroken path, and the card's overflow-x: hidden
    # cuts off what runs past 420 px: the check sees both, by day and at night. A table that
    # scrolls with a cue is not cut off (its text scrolls into view).
    wanted = (
        "troubleshooting/oomkilled-exit-code-137",
        "networking-storage/docker-network-drivers",
    )
    deck = [c for c in corpus_deck if c.template == "Card" and c.key.endswith(wanted)]
    oom, drivers = sorted(deck, key=lambda c: not c.key.endswith(wanted[0]))
    assert oom.key == wanted[0] and "cat /sys/fs/cgroup/" in re.sub("<[^>]+>", "", oom.back)
    assert drivers.key == wanted[1]
    tab.send(
        "Emulation.setDeviceMetricsOverride",
        width=card_report.WIDTH, height=800, deviceScaleFactor=1, mobile=True,
    )  # fmt: skip
    page = tmp_path / "card.html"
    page.write_text(
        f"<meta name=viewport content=width=device-width><style>{drivers.css}</style>"
        f"<body class=card>{drivers.back}</body>",
        encoding="utf-8",
    )
    tab.open(page)
    scrolls = (
        "[...document.querySelectorAll('.table-wrap')].map(w => w.scrollWidth - w.clientWidth)"
    )
    assert max(tab.evaluate(scrolls)) > 50  # the table scrolls, with its cue

    def styled(name: str, css: str) -> card_report.Card:
        return card_report.Card(name, oom.template, oom.front, oom.back, oom.css + css)

    deck = [styled("old style", _UNWRAPPED_CODE), styled("night", f".nightMode {_UNWRAPPED_CODE}")]
    report = card_report.Report()
    card_report.measure([*deck, drivers], report)
    assert list(report.overflow) == ["old style · Card", "night · Card"]
    old, night = report.overflow.values()
    assert any(p.startswith("back: window widened to ") for p in old)
    clipped = [p for p in old if p.startswith("back: text clipped at 420px")]
    assert clipped and "<id>" in " ".join(clipped)  # a piece of /sys/fs/cgroup/…/<id>/…
    assert not any("(night)" in p for p in old)  # the same at night: listed once
    assert any(p.startswith("back (night): window widened to ") for p in night)
    assert all(p.startswith("back (night): ") for p in night)  # by day it wraps, at a "/"


def test_inline_steps_in_a_follow_up_answer_are_a_list(tmp_path: Path) -> None:
    # every follow-up answer of the corpus written as "1. … 2. …" or "(a) … (b) …" on one
    # line, with or without a lead-in before it ("Three approaches: 1. …")
    steps = {
        ("security-ecosystem/docker-socket-security", "Follow-up 1"): 4,
        ("security-ecosystem/docker-compose", "Follow-up 3"): 3,
        ("best-practices/minimize-image-size", "Follow-up 3"): 3,
        ("advanced/distroless-images", "Follow-up 3"): 3,
    }
    deck = card_report.cards(card_report.corpus_deck(tmp_path))
    found = {}
    for c in deck:
        back = c.back.split("<hr id=answer>", 1)[1]
        if c.template.startswith("Follow-up") and "<li>" in back:
            found[c.key, c.template] = back.count("<li>")
    assert found == steps


#: Text that runs past the phone's right edge, and a window that grew past it (a mobile
#: viewport widens to fit wide content; the card's ``overflow-x: hidden`` hides the rest).
_CLIPPED = f"""
(() => {{
  const out = [];
  const width = {card_report.WIDTH};
  if (window.innerWidth > width) out.push(`window widened to ${{window.innerWidth}}px`);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (walker.nextNode()) {{
    const t = walker.currentNode;
    if (!t.data.trim()) continue;
    range.selectNodeContents(t);
    const right = range.getBoundingClientRect().right;
    if (right > width + 1) out.push(`text runs to ${{Math.round(right)}}px: ${{t.data.trim()}}`);
  }}
  return out;
}})()
"""


@pytest.mark.browser
def test_table_row_cards_fit_a_phone(tmp_path: Path, tab: Tab) -> None:
    # Every table-row card of the corpus, as Anki renders it, front and back at 420 px.
    from anki.collection import Collection, ImportAnkiPackageRequest
    from anki.import_export_pb2 import ImportAnkiPackageOptions

    (apkg,) = dockerqa.export(
        None, "anki", tmp_path / "rows.apkg", lock=card_report.CORPUS_LOCK, locked=True,
        cards="table-row",
    )  # fmt: skip
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(apkg), options=ImportAnkiPackageOptions())
        )
        sides = []
        for cid in col.find_cards(""):
            card = col.get_card(cid)
            out = card.render_output()
            key = f"{card.note()['Question id']}: {card.note()['Front'][:30]}"
            sides += [(f"{key} front", out.question_text, out.css)]
            sides += [(f"{key} back", out.answer_text, out.css)]
    finally:
        col.close()
    assert len(sides) == 2 * 22  # only table-row cards were chosen
    tab.send(
        "Emulation.setDeviceMetricsOverride",
        width=card_report.WIDTH, height=800, deviceScaleFactor=1, mobile=True,
    )  # fmt: skip
    page = tmp_path / "card.html"
    problems = {}
    for where, body, css in sides:
        page.write_text(
            "<!doctype html><meta charset=utf-8><meta name=viewport content=width=device-width>"
            f"<style>{card_report._REVIEWER_CSS}\n{css}</style><body class=card>{body}</body>",
            encoding="utf-8",
        )
        tab.open(page)
        found = tab.evaluate(card_report._MEASURE) + tab.evaluate(_CLIPPED)
        if found:
            problems[where] = found
    assert problems == {}


#: Inline code longer than a phone's line, of every kind the corpus has (a path, an option's
#: value, a flag's list, a library file name): each may wrap, only after ``/ , = - .``.
_LONG_CODE = (
    "cat /sys/fs/cgroup/memory/docker/<id>/memory.max_usage_in_bytes",
    "--cache-from type=registry,ref=ghcr.io/org/service:buildcache",
    "--cache-to type=registry,ref=registry/app:cache,mode=max",
    "RUN --mount=type=secret,id=token,required=false",
    "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
    "kubectl.kubernetes.io/last-applied-configuration",
)


@pytest.mark.browser
def test_long_inline_code_wraps_only_between_words(browser: object) -> None:
    from exporters.anki import CARD_CSS, _md

    deck = []
    for n, code in enumerate(_LONG_CODE):
        for lead in ("", "Run ", "The kernel keeps the figure you want in "):
            back = _md(f"{lead}`{code}` and `--cpus`, `distroless/static` stay whole.")
            page = f'<div class="dq dq-back"><div class=dq-answer>{back}</div></div>'
            deck.append(card_report.Card(f"{n}/{lead!r}", "Card", "", page, CARD_CSS))
    report = card_report.Report()
    card_report.measure(deck, report)
    assert report.overflow == {}
