"""The terminal side of ``dockerqa drill``: asks, reads answers and keys, reveals, shows stats.

Input is read line by line, so a script can drive it: an answer ends with an empty line (an
empty first line skips typing), then one key per line — ``1``–``4`` rate, ``m`` shows the
rest, ``q`` quits. On a terminal the Markdown is rendered with rich (code in the cards' night
pygments style) and a reveal taller than the screen is paged; otherwise it is written as
plain Markdown text. Knows nothing of click: the command line hands it its streams.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TextIO

from dockerqa.drill import RATINGS, Drill, Item, Stats, StatsRow, Turn

if TYPE_CHECKING:
    from rich.console import Console

#: Pygments style of code in the terminal: the cards' night palette (render.py).
CODE_STYLE = "github-dark"
_KEYS = "  ".join(f"[{k}] {name}" for k, name in RATINGS.items())


class Ending(enum.Enum):
    """How a session ended."""

    DONE = "done"
    QUIT = "quit"
    EOF = "end of input"


@dataclass(frozen=True)
class Outcome:
    """What a session did."""

    ending: Ending
    """Why it stopped."""
    ratings: int
    """Ratings saved."""
    questions: int
    """Questions fully asked."""


class Screen:
    """Text in and out: rich rendering on a terminal, plain Markdown text elsewhere."""

    def __init__(self, stdin: TextIO, stdout: TextIO, *, rich: bool | None = None) -> None:
        self.stdin = stdin
        self.stdout = stdout
        self.rich = stdout.isatty() if rich is None else rich
        self.echo = not stdin.isatty()  # scripted input shows in the transcript
        self._console: Console | None = None

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = (
                Console(file=self.stdout, highlight=False)
                if self.rich
                else Console(file=self.stdout, force_terminal=False, color_system=None, width=100)
            )
        return self._console

    def line(self, text: str = "", style: str = "") -> None:
        if self.rich:
            self.console.print(text, style=style or None, markup=False, highlight=False)
        else:
            self.stdout.write(text + "\n")

    def blocks(self, blocks: Sequence[tuple[str, str]]) -> None:
        """Labelled Markdown blocks; paged on a terminal when taller than the screen."""
        if not self.rich:
            for label, text in blocks:
                self.stdout.write(f"\n--- {label} ---\n{text}\n" if label else f"\n{text}\n")
            return
        from rich.console import Group
        from rich.markdown import Markdown
        from rich.text import Text

        parts: list[Any] = []
        for label, text in blocks:
            if label:
                parts.append(Text(f"\n{label}", style="bold cyan"))
            parts.append(Markdown(text, code_theme=CODE_STYLE))
        group = Group(*parts)
        console = self.console
        height = len(console.render_lines(group, console.options, pad=False))
        if height > console.height - 3:
            with console.pager(styles=True):
                console.print(group)
        else:
            console.print(group)

    def table(self, title: str, rows: Sequence[StatsRow]) -> None:
        from rich.table import Table

        table = Table(title=title, title_justify="left")
        for name in ("", "questions", "new", "due today", "reviews", "retention 30d"):
            table.add_column(name, justify="left" if not name else "right")
        for r in rows:
            kept = "—" if r.retention is None else f"{r.retention:.0%} ({r.recalled}/{r.graded})"
            table.add_row(r.name, *map(str, (r.questions, r.new, r.due, r.reviews)), kept)
        self.console.print(table)

    def read(self, prompt: str) -> str | None:
        """One line without its newline; None at end of input."""
        if prompt:
            self.line(prompt, style="bold")
        self.stdout.flush()
        text = self.stdin.readline()
        if text == "":
            return None
        text = text.rstrip("\r\n")
        if self.echo and text:
            self.line(f"> {text}")
        return text

    def read_answer(self) -> str | None:
        """Lines up to an empty one; None at end of input."""
        lines: list[str] = []
        prompt = "Your answer (end with an empty line; Enter alone answers in your head):"
        while (text := self.read(prompt if not lines else "")) is not None:
            if not text.strip():
                return "\n".join(lines)
            lines.append(text)
        return None


def when(moment: datetime, now: datetime) -> str:
    """``2026-03-01 09:10 (in 10 minutes)`` in local time."""
    seconds = (moment - now).total_seconds()
    if seconds < timedelta(hours=1).total_seconds():
        n, unit = max(round(seconds / 60), 0), "minute"
    elif seconds < timedelta(days=2).total_seconds():
        n, unit = round(seconds / 3600), "hour"
    else:
        n, unit = round(seconds / 86400), "day"
    return f"{moment.astimezone():%Y-%m-%d %H:%M} (in {n} {unit}{'s' if n != 1 else ''})"


def interview(drill: Drill, turns: Sequence[Turn], screen: Screen) -> Outcome:
    """Ask ``turns`` in order: each question, then its follow-ups, each revealed and rated."""
    due = sum(not t.new for t in turns)
    screen.line(f"{len(turns)} questions: {due} due, {len(turns) - due} new.")
    ratings = 0
    for number, turn in enumerate(turns, 1):
        q = turn.question
        status = "new" if turn.new else "due"
        screen.line("")
        screen.line(f"━━ {number}/{len(turns)} · {q.id} · {q.level.value} · {status}", style="bold")
        if turn.items and turn.items[0].slot != 0:  # only follow-ups are due: set the scene
            screen.blocks([("Earlier question", drill.ask(Item(q, 0)).ask)])
        for item in turn.items:
            ending = _ask_one(drill, item, screen)
            if ending is not None:
                return Outcome(ending, ratings, number - 1)
            ratings += 1
    return Outcome(Ending.DONE, ratings, len(turns))


def _ask_one(drill: Drill, item: Item, screen: Screen) -> Ending | None:
    prompt = drill.ask(item)
    if item.follow_up is not None:
        chain = len(item.question.follow_ups)
        label = f"Follow-up {item.number} of {chain}"
    else:
        label = item.question.kind.label
    screen.blocks([(label, prompt.ask)])
    if screen.read_answer() is None:
        return Ending.EOF
    reveal = [("A strong answer holds", prompt.core or "(the source gives no answer text)")]
    screen.blocks(reveal + list(prompt.notes))
    shown = False
    while True:
        more = "  [m] more" if prompt.more and not shown else ""
        key = screen.read(f"\nRate: {_KEYS}{more}  [q] quit")
        if key is None:
            return Ending.EOF
        key = key.strip().lower()
        if key == "q":
            return Ending.QUIT
        if key == "m" and prompt.more:
            screen.blocks(prompt.more)
            shown = True
        elif key in {str(k) for k in RATINGS}:
            card = drill.rate(item, int(key))
            screen.line(f"{RATINGS[int(key)]}: next {when(card.due, drill.now)}")
            return None
        else:
            screen.line(
                "Type 1, 2, 3 or 4 to rate" + (", m for more" if more else "") + ", q to quit."
            )


def show_stats(stats: Stats, screen: Screen) -> None:
    """The ``--stats`` tables: by section, by level, and in all."""
    screen.table("By section", stats.sections)
    screen.table("By level", stats.levels)
    screen.table("In all", [stats.total])
