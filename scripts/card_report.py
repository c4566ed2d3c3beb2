"""Read a deck as a learner would: can each card be answered, and graded, on a phone?

Imports a deck (default: a fresh build of the bundled corpus) into a throwaway collection with
the official ``anki`` package, renders every card as Anki does (``card.render_output()``) and
prints, with the ids of the cards that fail each check:

* fronts that are one question: a question card's ask is one sentence ending in ``?`` of at
  most 30 words, or a short label over the scenario's or work sample's prompt;
* visible backs that open with meta talk or the weak answer: the first sentence shown below
  the front talks about the interview, or is the weak candidate's answer;
* visible backs that open with code: no sentence before the first code block;
* backs whose list heads are folded: a list in the folded rest of the answer whose items'
  bold heads do not show;
* red-flag fronts without the question: the red-flag card's front does not show its question
  card's ask;
* cards with horizontal overflow at 420 px, front and back, day and night, with every fold
  open, in headless Chromium: the window widened past 420 px to fit the card (a phone's
  window does; the card then hides what runs past its edge), text runs past the card's right
  edge or the box that clips it (text in a table that scrolls with a cue is not clipped: it
  scrolls into view), a code block hides part of its lines, a table scrolls with no cue, or
  inline code is split inside a word, anywhere but after one of `CODE_BREAKS` or a ``-`` or
  ``.`` between letters or digits (skipped with ``--no-browser``).

The checks are this script's own reading of the rendered HTML, not the exporter's rules.

Usage: ``python scripts/card_report.py [DECK.apkg] [--no-browser] [--list N]``
"""

from __future__ import annotations

import argparse
import html.parser
import itertools
import json
import re
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the Chromium driver the tests use

import dockerqa  # noqa: E402
from dockerqa.study import word_count  # noqa: E402

CORPUS_LOCK = ROOT / "corpus" / "docker.lock"
WIDTH = 420
#: Inline code may wrap only after one of these characters (a path at ``/``, an option's value
#: at ``=`` or ``,``), or after a ``-`` or ``.`` between two letters or digits (``x86_64-|linux``,
#: ``ghcr.|io``; never ``--|cpus``): a long path wraps, never inside a word.
CODE_BREAKS = "/,="
#: An opening sentence about the interview or the candidates, not about Docker.
META = re.compile(
    r"\binterview\w*|\bcandidates?\b|\bseparates\b|\bone of the most\b|\bsurprisingly\b|"
    r"\bmost common (?:\w+ )?(?:mistake|confusion)\b|\bnot a niche\b|\bweak\b",
    re.I,
)
_SENTENCE = re.compile(r"(?<=[.!?])[\"”)]?\s+(?=[A-Z`\"“(])")
#: Marks a block boundary in extracted text.
_BLOCK = "\x00"

#: What Anki's reviewer puts around a card, before the note type's own CSS.
_REVIEWER_CSS = """
html, body { margin: 0; }
body { padding: 20px; background: #ffffff; color: #000000; }
"""

#: The classes Anki's reviewer adds to the card's body in night mode.
_NIGHT = " nightMode night_mode"

_MEASURE = f"""
(() => {{
  const out = [];
  const width = {WIDTH};
  const breaks = {json.dumps(CODE_BREAKS)};
  // a learner opens the folds: measure them open
  for (const d of document.querySelectorAll('details')) d.open = true;
  const longest = (t) => Math.max(...t.split(/\\s+/).map((w) => w.length));
  const doc = document.scrollingElement;
  // a phone's window widens to fit wide content, and the card's overflow-x: hidden clips it
  if (window.innerWidth > width + 1) out.push(`window widened to ${{window.innerWidth}}px`);
  if (doc.scrollWidth > window.innerWidth + 1) out.push(`page ${{doc.scrollWidth}}px wide`);
  for (const pre of document.querySelectorAll('pre')) {{
    if (pre.scrollWidth > pre.clientWidth + 1)
      out.push(`code block hides ${{pre.scrollWidth - pre.clientWidth}}px`);
  }}
  for (const wrap of document.querySelectorAll('.table-wrap')) {{
    if (wrap.scrollWidth > wrap.clientWidth + 1) {{
      const cue = getComputedStyle(wrap).backgroundImage.includes('gradient');
      if (!cue) out.push(`table scrolls ${{wrap.scrollWidth - wrap.clientWidth}}px with no cue`);
    }}
  }}
  for (const code of document.querySelectorAll(':not(pre) > code')) {{
    const text = code.textContent;
    const range = document.createRange();
    let broken = null, seen = 0;
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    let prev = null;
    const word = (c) => /[A-Za-z0-9_]/.test(c || '');
    // where a break is between words: after / , =, or a - or . between letters or digits
    const joint = (at) => '-.'.includes(text[at - 1]) && word(text[at - 2]) && word(text[at]);
    const boundary = (at) => breaks.includes(text[at - 1]) || joint(at);
    while (walker.nextNode()) {{
      const t = walker.currentNode;
      for (let i = 0; i < t.length; i++, seen++) {{
        range.setStart(t, i); range.setEnd(t, i + 1);
        const r = range.getClientRects()[0];
        const ch = t.data[i];
        if (!r) {{ if (prev) prev.ch = ch; continue; }}
        const between = !/\\s/.test(prev ? prev.ch : ' ') && !/\\s/.test(ch);
        if (prev && r.top > prev.top + 2 && between && !boundary(seen) && !broken)
          broken = `${{text.slice(Math.max(0, seen - 20), seen)}}|${{text.slice(seen, seen + 12)}}`;
        prev = {{top: r.top, ch}};
      }}
    }}
    const size = longest(text);
    if (broken) out.push(`inline code split inside a word (${{size}} characters): ${{broken}}`);
  }}
  // text whose right edge passes the card (or the box that clips it), unless it is inside a
  // scroll container that shows a cue (a shadow at the edge that has more)
  const cued = (el) => getComputedStyle(el).backgroundImage.includes('gradient');
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const span = document.createRange();
  while (texts.nextNode()) {{
    const t = texts.currentNode;
    if (!t.data.trim()) continue;
    let limit = width, scrolls = false;
    for (let el = t.parentElement; el; el = el.parentElement) {{
      const x = getComputedStyle(el).overflowX;
      if ((x === 'auto' || x === 'scroll') && cued(el)) {{ scrolls = true; break; }}
      if (x !== 'visible') {{
        const box = el.getBoundingClientRect();
        limit = Math.min(limit, box.left + el.clientLeft + el.clientWidth);
      }}
    }}
    if (scrolls) continue;
    span.selectNodeContents(t);
    const right = Math.max(0, ...Array.from(span.getClientRects(), (r) => r.right));
    if (right > limit + 1) {{
      const text = t.data.trim().replace(/\\s+/g, ' ').slice(0, 40);
      const [at, to] = [Math.round(limit), Math.round(right)];
      out.push(`text clipped at ${{at}}px (runs to ${{to}}px): ${{text}}`);
    }}
  }}
  return out;
}})()
"""


class _Text(html.parser.HTMLParser):
    """Text of an HTML fragment: all of it, what shows outside ``<details>``, the ask of a
    front (``dq-front-ask`` without its prompt), and the bold heads of folded lists."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.visible: list[str] = []
        self.ask: list[str] = []
        self.folded_heads: list[str] = []
        self.first_block: str | None = None
        self._stack: list[tuple[str, str]] = []
        self._details = 0
        self._in_ask = 0
        self._in_prompt = 0
        self._in_rest = 0
        self._li_start = False
        self._lists = 0
        self._head: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        cls = dict(attrs).get("class") or ""
        self._stack.append((tag, cls))
        if tag == "details":
            self._details += 1
            self._in_rest += "dq-rest" in cls
        self._in_ask += "dq-front-ask" in cls or "dq-title" in cls
        self._in_prompt += "dq-prompt" in cls
        opens = tag in ("pre", "table") or "code-block" in cls
        if self.first_block is None and not self._details and opens:
            self.first_block = "table" if tag == "table" else "pre"
        if tag in ("p", "div", "li", "td", "th", "pre", "summary", "br", "table", "ul", "ol"):
            self.visible.append(_BLOCK)
        if tag in ("ul", "ol") and self._in_rest:
            self._lists += 1
        if tag == "li" and self._in_rest and self._lists == 1:  # a top-level item of a fold
            self._li_start = True
        elif tag == "strong" and self._li_start:
            self._head = []
        elif tag != "strong" and self._li_start and tag not in ("p",):
            self._li_start = False

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol") and self._in_rest and self._lists:
            self._lists -= 1
        while self._stack:
            t, cls = self._stack.pop()
            if t == "details":
                self._details -= 1
                self._in_rest -= "dq-rest" in cls
            self._in_ask -= "dq-front-ask" in cls or "dq-title" in cls
            self._in_prompt -= "dq-prompt" in cls
            if t == tag:
                break
        if tag == "strong" and self._head is not None:
            self.folded_heads.append("".join(self._head).strip())
            self._head = None
            self._li_start = False

    def handle_data(self, data: str) -> None:
        if self._head is not None:
            self._head.append(data)
        elif data.strip():
            self._li_start = False
        if self._in_ask and not self._in_prompt:
            self.ask.append(data)
        if not self._details:
            if self.first_block is None and data.strip():
                self.first_block = "text"
            self.visible.append(data)


def read(fragment: str) -> _Text:
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    return parser


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace(_BLOCK, " ")).strip()


def sentences(text: str) -> list[str]:
    """Sentences of a text, never across a block boundary (paragraph, list item, cell)."""
    out = []
    for block in text.split(_BLOCK):
        out += [s for s in _SENTENCE.split(re.sub(r"\s+", " ", block).strip()) if s]
    return out


@dataclass
class Card:
    """One rendered card."""

    key: str
    template: str
    front: str
    back: str
    css: str


@dataclass
class Report:
    """Cards failing each check (by ``id · template``), and the counts checked."""

    question_cards: int = 0
    not_one_question: list[str] = field(default_factory=list)
    meta_first: list[str] = field(default_factory=list)
    code_first: list[str] = field(default_factory=list)
    heads_folded: list[str] = field(default_factory=list)
    red_flag_cards: int = 0
    red_flag_without_question: list[str] = field(default_factory=list)
    cards: int = 0
    overflow: dict[str, list[str]] = field(default_factory=dict)
    first_sentences: dict[str, tuple[str, str]] = field(default_factory=dict)


def cards(apkg: Path) -> Iterator[Card]:
    """Every card of the deck as Anki renders it."""
    from anki.collection import Collection, ImportAnkiPackageRequest
    from anki.import_export_pb2 import ImportAnkiPackageOptions

    with tempfile.TemporaryDirectory(prefix="dockerqa-card-report-") as tmp:
        col = Collection(str(Path(tmp) / "collection.anki2"))
        try:
            request = ImportAnkiPackageRequest(
                package_path=str(apkg), options=ImportAnkiPackageOptions()
            )
            col.import_anki_package(request)
            for cid in sorted(col.find_cards('"note:dockerqa Question"')):
                card = col.get_card(cid)
                out = card.render_output()
                name = card.template()["name"]
                yield Card(card.note().fields[0], name, out.question_text, out.answer_text, out.css)
        finally:
            col.close()


def one_question(front: _Text, has_prompt: bool) -> bool:
    ask = squash("".join(front.ask))
    said = sentences(ask)
    if has_prompt and "?" not in ask:
        return word_count(ask) <= 12  # a label over the prompt, which is the question
    return len(said) == 1 and ask.endswith("?") and word_count(ask) <= 30


def check(deck: list[Card]) -> Report:
    report = Report()
    asks: dict[str, str] = {}
    for c in deck:
        if c.template != "Card":
            continue
        report.question_cards += 1
        front = read(c.front)
        asks[c.key] = squash("".join(front.ask))
        if not one_question(front, "dq-prompt" in c.front):
            report.not_one_question.append(f"{c.key}: {asks[c.key][:90]}")
        back = read(c.back.split("<hr id=answer>", 1)[-1])
        shown = sentences("".join(back.visible))
        first = shown[0] if shown else ""
        report.first_sentences[c.key] = (asks[c.key], first)
        if META.search(first):
            report.meta_first.append(f"{c.key}: {first[:90]}")
        if back.first_block == "pre":
            report.code_first.append(c.key)
        visible = squash("".join(back.visible))
        heads = (squash(h).rstrip(":.— ") for h in back.folded_heads)
        missing = [h for h in heads if h and h not in visible]
        if missing:
            report.heads_folded.append(f"{c.key}: {', '.join(missing[:3])}")
    for c in deck:
        if c.template != "Red flag":
            continue
        report.red_flag_cards += 1
        shown = squash("".join(read(c.front).visible))
        ask = asks.get(c.key)
        if not ask or ask not in shown:
            report.red_flag_without_question.append(c.key)
    return report


def measure(deck: list[Card], report: Report) -> None:
    """Horizontal overflow of every card's front and back in Chromium at `WIDTH` px."""
    from engines import Browser, find_chromium

    chromium = find_chromium()
    if chromium is None:
        sys.exit("card_report: headless Chromium not found (or pass --no-browser)")
    browser = Browser(chromium)
    try:
        tab = browser.new_page()
        tab.send(
            "Emulation.setDeviceMetricsOverride",
            width=WIDTH, height=800, deviceScaleFactor=1, mobile=True,
        )  # fmt: skip
        with tempfile.TemporaryDirectory(prefix="dockerqa-card-report-") as tmp:
            page = Path(tmp) / "card.html"
            for c in deck:
                report.cards += 1
                problems: list[str] = []
                for (side, body), night in itertools.product(
                    (("front", c.front), ("back", c.back)), (False, True)
                ):
                    page.write_text(
                        "<!doctype html><meta charset=utf-8>"
                        f'<meta name=viewport content="width=device-width">'
                        f"<style>{_REVIEWER_CSS}\n{c.css}</style>"
                        f'<body class="card{_NIGHT if night else ""}">{body}</body>',
                        encoding="utf-8",
                    )
                    tab.open(page)
                    where = f"{side} (night)" if night else side  # listed if not seen by day
                    found = [f"{side}: {p}" for p in tab.evaluate(_MEASURE)]
                    problems += [p.replace(side, where, 1) for p in found if p not in problems]
                if problems:
                    report.overflow[f"{c.key} · {c.template}"] = problems
    finally:
        browser.close()


def corpus_deck(directory: Path) -> Path:
    """The bundled corpus's deck, with the identity its lock keeps (checked, never written)."""
    (deck,) = dockerqa.export(
        dockerqa.load(), "anki", directory / "deck.apkg", lock=CORPUS_LOCK, locked=True
    )
    return deck


def print_report(report: Report, listed: int) -> None:
    def section(title: str, items: list[str], of: int) -> None:
        print(f"{title}: {len(items)} of {of}")
        for item in items[:listed]:
            print(f"    {item}")
        if len(items) > listed:
            print(f"    … and {len(items) - listed} more")

    q = report.question_cards
    print(f"fronts that are one question: {q - len(report.not_one_question)} of {q}")
    for item in report.not_one_question[:listed]:
        print(f"    not one question: {item}")
    if len(report.not_one_question) > listed:
        print(f"    … and {len(report.not_one_question) - listed} more")
    section("visible backs opening with meta talk or the weak answer", report.meta_first, q)
    section("visible backs opening with code", report.code_first, q)
    section("backs whose list heads are folded", report.heads_folded, q)
    section(
        "red-flag fronts without the question",
        report.red_flag_without_question,
        report.red_flag_cards,
    )
    if report.cards:
        over = [f"{k}: {'; '.join(v[:2])}" for k, v in report.overflow.items()]
        section(f"cards with horizontal overflow at {WIDTH} px", over, report.cards)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("deck", nargs="?", type=Path, help="an .apkg (default: the corpus)")
    parser.add_argument("--no-browser", action="store_true", help="skip the 420 px check")
    parser.add_argument("--list", type=int, default=10, help="ids listed per check")
    parser.add_argument("--json", type=Path, help="also write the full report as JSON")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="dockerqa-card-report-") as tmp:
        deck = list(cards(args.deck or corpus_deck(Path(tmp))))
    report = check(deck)
    if not args.no_browser:
        measure(deck, report)
    print_report(report, args.list)
    if args.json:
        args.json.write_text(json.dumps(report.__dict__, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
