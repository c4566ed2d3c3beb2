"""The terminal side of ``dockerqa drill``: asks, reads answers and keys, reveals, shows stats.

On a terminal, ratings, ``m`` and ``q`` are single keys, ``q`` or Ctrl-D quits from any
prompt, and Enter takes the suggested rating. The terminal is in cbreak mode for the whole
session (and put back after it): the drill echoes every key itself, once, by the prompt that
takes it, so keys typed ahead are neither echoed twice nor lost, and it edits an answer line
as the terminal's own line editing would. An answer is typed line by line and ends with an
empty line; ``q`` alone on the first line, or Ctrl-D on an empty line, quits. Without a
terminal (a pipe, a test) every key is a line, so a script can drive a session, and end of
input ends it.

On a terminal the Markdown is rendered with rich (code in the cards' night pygments style),
never paged; otherwise it is written as plain Markdown text. Mermaid diagrams show as source
under the label the cards give them. Knows nothing of click: the command line hands it its
streams.
"""

from __future__ import annotations

import codecs
import contextlib
import enum
import math
import os
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar, TextIO

from fsrs import Card, Rating, State

from dockerqa._text import counted
from dockerqa.drill import RATINGS, Drill, Item, Stats, StatsRow, Turn
from dockerqa.feedback import Feedback, feedback
from dockerqa.render import NIGHT_CODE_STYLE

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.markdown import Markdown

#: Pygments style of code in the terminal: the cards' night palette (terminals are mostly dark).
CODE_STYLE = NIGHT_CODE_STYLE
#: A card rated Again or Hard whose next step is at most this far off comes back in the
#: session (Anki's default "learn ahead limit"): when due, else once the rest is asked.
LEARN_AHEAD = timedelta(minutes=20)
_KEYS = " ".join(f"[{k}] {name}" for k, name in RATINGS.items())
_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>```+|~~~+)[ \t]*(?P<lang>\w+)[^\n]*$", re.M)
_ENTER = "enter"
#: Seconds a terminal read waits at a time (see `Screen._next`).
WAIT_STEP = 0.2
#: Columns of the narrowest column of key points (kept on screen below a typed answer).
_NARROWEST = 16
#: A key as the terminal sends it: an escape sequence (an arrow, Alt and a key) or one character.
_KEY = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|O.|.)?", re.S)


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


def label_diagrams(markdown: str) -> str:
    """Code fences of a labelled language (Mermaid) as plain source under their label, as
    the cards show them."""
    from dockerqa.render import LANG_LABELS

    def sub(m: re.Match[str]) -> str:
        label = LANG_LABELS.get(m["lang"].lower())
        if label is None:
            return m[0]
        return f"{m['indent']}*{label}:*\n\n{m['indent']}{m['fence']}text"

    return _FENCE.sub(sub, markdown)


@cache
def _markdown_class() -> type[Markdown]:
    """rich's Markdown, with table cells that fold long words instead of cutting them (on a
    narrow terminal "Virtualization" would show as "Virtualiza…")."""
    from rich.markdown import Markdown, TableElement
    from rich.table import Table

    class FoldingTable(TableElement):
        def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
            for part in super().__rich_console__(console, options):
                if isinstance(part, Table):
                    for column in part.columns:
                        column.overflow = "fold"
                yield part

    class FoldingMarkdown(Markdown):
        elements: ClassVar = {**Markdown.elements, "table_open": FoldingTable}

    return FoldingMarkdown


class Screen:
    """Text in and out: rich rendering and single keys on a terminal, plain lines elsewhere."""

    def __init__(self, stdin: TextIO, stdout: TextIO, *, rich: bool | None = None) -> None:
        self.stdin = stdin
        self.stdout = stdout
        self.rich = stdout.isatty() if rich is None else rich
        self.keys = stdin.isatty()  # single keys in cbreak mode
        self.echo = not self.keys  # scripted input shows in the transcript
        self._console: Console | None = None
        #: The terminal's settings before `cbreak` changed them (None: unchanged).
        self._saved: list[Any] | None = None
        #: Keys read from the terminal and not used yet (typed ahead).
        self._ahead = ""
        #: Whether the cursor is beside a prompt or typed text (a line to end on leaving).
        self._open = False
        #: What that line shows (shown again when the drill is continued after Ctrl-Z).
        self._shown = ""
        self._decode = codecs.getincrementaldecoder("utf-8")(errors="replace").decode
        #: Rows of the screen the last answer took: its prompt, its lines with the timer's
        #: notes, the notice that time is up and the empty line that ended it (see `room`).
        self.answer_rows = 0

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

    def line(self, text: str = "", style: str = "", end: str = "\n") -> None:
        if self.rich:
            self.console.print(text, style=style or None, markup=False, highlight=False, end=end)
        else:
            self.stdout.write(text + end)

    def blocks(self, blocks: Sequence[tuple[str, str]]) -> None:
        """Labelled Markdown blocks, never paged: the terminal keeps what scrolls by."""
        if not self.rich:
            for label, text in blocks:
                text = label_diagrams(text)
                self.stdout.write(f"\n--- {label} ---\n{text}\n" if label else f"\n{text}\n")
            return
        from rich.text import Text

        markdown = _markdown_class()
        for label, text in blocks:
            if label:
                self.console.print(Text(f"\n{label}", style="bold cyan"))
            self.console.print(markdown(label_diagrams(text), code_theme=CODE_STYLE))

    def feedback(self, said: Feedback, typed: bool, room: int = 0) -> None:
        """The key points, each marked covered (✓) or missed (✗) when an answer was typed; on
        a terminal, below a typed answer with more than ``room`` lines for them, one line each
        (in columns when wide enough) so the answer stays on screen."""
        head = "Key points"
        if typed:
            head += f": {said.covered} of {len(said.points)} covered"
            if said.suggestion:
                head += f", suggesting {RATINGS[said.suggestion]}"
        lines = []
        for point, hit in said.points:
            mark = ("✓" if hit else "✗") if typed else "•"
            text = f"`{point.text}`" if point.code and not self.rich else point.text
            style = ("green" if hit else "red") if typed else ""
            lines.append((f"  {mark} {text}", style))
        if not self.rich:
            self.stdout.write(f"\n--- {head} ---\n")
            self.stdout.write("".join(text + "\n" for text, _ in lines))
            return
        from rich.table import Table
        from rich.text import Text

        self.console.print(Text(f"\n{head}", style="bold cyan"))
        width = self.console.width
        room -= self.rows(f"\n{head}")
        # a typed answer is kept on screen; else the points show whole, however long
        tall = typed and sum(self.rows(text) for text, _ in lines) > room
        if not tall:
            for text, style in lines:
                self.console.print(Text(text, style=style))
            return
        # as few columns as make the points fit the room left, each point cut to its column
        most = max(min(width // _NARROWEST, len(lines)), 1)
        count = next((c for c in range(1, most + 1) if -(-len(lines) // c) <= room), most)
        depth = -(-len(lines) // count)
        if count > 1:  # the columns' gaps set them apart: no indent
            lines = [(text.strip(), style) for text, style in lines]
        grid = Table.grid(padding=(0, 1), expand=count > 1)
        for _ in range(count):
            grid.add_column(no_wrap=True, overflow="ellipsis", ratio=1)
        for row in range(depth):  # down each column first, as a list reads
            at = [row + depth * c for c in range(count)]
            grid.add_row(*(Text(*lines[n]) for n in at if n < len(lines)))
        self.console.print(grid)

    def rows(self, text: str) -> int:
        """Rows of the screen ``text`` takes (each line at least one)."""
        from rich.cells import cell_len

        width = self.console.width
        return sum(max(-(-cell_len(line) // width), 1) for line in text.split("\n"))

    def room(self, *below: str) -> int:
        """Rows left below the answer just typed (see `answer_rows`) and the ``below`` texts
        shown with the key points, so that the answer and its prompt stay on screen."""
        return self.console.height - self.answer_rows - sum(map(self.rows, below))

    def tables(self, tables: Sequence[tuple[str, Sequence[StatsRow]]]) -> None:
        """A table for each (title, rows), all in one form: boxed, else all without their
        outer edges when that makes every one fit; on a terminal too narrow for one of them,
        each row of every table as a name and its counts below it, so no word is cut."""
        from rich.table import Table
        from rich.text import Text

        def kept(r: StatsRow) -> str:
            if r.retention is None:
                return "no due reviews yet"
            return f"{r.retention:.0%} ({r.recalled}/{r.graded})"

        drawn = []
        for title, rows in tables:
            table = Table(title=title, title_justify="left")
            table.add_column("")
            for name in ("questions", "new", "due today", "reviews", "retention 30d"):
                table.add_column(name, justify="right")
            for r in rows:
                table.add_row(r.name, *map(str, (r.questions, r.new, r.due, r.reviews)), kept(r))
            drawn.append(table)
        width = self.console.width
        unbounded = self.console.options.update_width(10_000)

        def fit() -> bool:  # as they are: rich would cut a word to squeeze one
            return all(self.console.measure(t, options=unbounded).maximum <= width for t in drawn)

        if not fit():
            for table in drawn:
                table.show_edge = table.pad_edge = False  # four columns more
        if fit():
            for table in drawn:
                self.console.print(table)
            return
        for title, rows in tables:
            self.console.print(Text(title, style="italic"))
            for r in rows:
                counts = [counted(r.questions, "question"), f"{r.new} new", f"{r.due} due today"]
                counts += [f"{r.reviews} reviews", f"retention 30d: {kept(r)}"]
                self.console.print(Text(f" {r.name}", style="bold"))
                for line in packed(counts, width - 3, " · "):
                    self.console.print(f"   {line}", markup=False, highlight=False)

    def week(self, days: Sequence[tuple[date, int]]) -> None:
        """The cards due on each day ahead, a day never apart from its count."""
        head = "Week ahead (cards due):"
        counts = [f"{day:%a %d} {n}" for day, n in days]
        width = self.console.width if self.rich else 10_000
        one = f"{head} {'  '.join(counts)}"
        # when that is too wide, the head on a line of its own and the days below it
        for line in [one] if len(one) <= width else [head, *packed(counts, width, "  ")]:
            self.line(line)

    def read(
        self,
        prompt: str,
        deadline: float | None = None,
        up: Callable[[], None] | None = None,
        tail: Callable[[], str] | None = None,
    ) -> str | None:
        """One line without its newline; None at end of input. On a terminal the line is
        edited as the terminal's own line editing would (see `_typed`), ``up`` is called
        if the `time.monotonic` ``deadline`` passes while waiting, and what ``tail`` gives
        is shown after a line with text, on its row."""
        if prompt:
            self.line(prompt, style="bold")
        self.stdout.flush()
        if self.keys:
            return self._typed(deadline, up, tail)
        text = self.stdin.readline()
        if text == "":
            return None
        text = text.rstrip("\r\n")
        if self.echo and text:
            self.line(f"> {text}")
        return text

    def cbreak(self) -> None:
        """On a terminal, cbreak mode for the rest of the session (`restore` puts the terminal
        back): every key reaches the drill at once and the terminal echoes none, so a key
        typed ahead (while a reveal is shown) is shown once, by the prompt that takes it.
        What was typed before (while the page loaded, seen by no prompt) is dropped."""
        if self._saved is not None or not self.keys:
            return
        import signal
        import termios
        import tty

        fd = self.stdin.fileno()
        self._saved = termios.tcgetattr(fd)
        tty.setcbreak(fd, termios.TCSAFLUSH)

        def resume(*_: object) -> None:  # back from Ctrl-Z: the shell put its own mode back
            tty.setcbreak(fd, termios.TCSANOW)
            if self._open and self._shown:  # and the line being typed is under its messages
                # straight to the file: the stream may be in the middle of a write
                with contextlib.suppress(OSError, ValueError):
                    os.write(self.stdout.fileno(), ("\r" + self._shown).encode())

        if hasattr(signal, "SIGCONT"):
            signal.signal(signal.SIGCONT, resume)

    def restore(self) -> None:
        """The terminal's settings as they were before the session."""
        if self._saved is None:
            return
        import signal
        import termios

        if self._open:  # interrupted at a prompt: what follows starts on a line of its own
            self.stdout.write("\n")
            self.stdout.flush()

        if hasattr(signal, "SIGCONT"):
            signal.signal(signal.SIGCONT, signal.SIG_DFL)
        termios.tcsetattr(self.stdin.fileno(), termios.TCSADRAIN, self._saved)
        self._saved = None

    def _next(self, deadline: float | None = None, up: Callable[[], None] | None = None) -> str:
        """The next key from the terminal: one character, or an escape sequence (an arrow
        key) whole; "" at end of input. ``up`` is called once ``deadline`` passes."""
        import select

        self.cbreak()
        fd = self.stdin.fileno()

        def ready(wait: float) -> bool:
            return bool(select.select([fd], [], [], wait)[0])

        # a lone ESC may be the start of a sequence still on its way
        while not self._ahead or (self._ahead == "\x1b" and ready(0.05)):
            # wait in short steps: a signal (Ctrl-C) that comes just before the wait is handled
            # at the end of the step, not once a key is pressed
            left = deadline - time.monotonic() if deadline is not None else WAIT_STEP
            if not ready(max(min(left, WAIT_STEP), 0)):
                if deadline is not None and up is not None and left <= WAIT_STEP:
                    up()
                    deadline = None
                continue
            data = os.read(fd, 4096)
            if not data:
                return ""
            self._ahead += self._decode(data)
        m = _KEY.match(self._ahead)
        key = m[0] if m else self._ahead[0]
        self._ahead = self._ahead[len(key) :]
        return key

    def _typed(
        self,
        deadline: float | None,
        up: Callable[[], None] | None,
        tail: Callable[[], str] | None = None,
    ) -> str | None:
        """A line typed on the terminal, edited as its own line editing does: Backspace,
        Ctrl-W (a word) and Ctrl-U (the line) erase, Enter ends the line, Ctrl-D ends a line
        with text and is the end of input (None) on an empty one; other control keys and
        escape sequences are ignored."""
        from rich.cells import cell_len

        text = ""

        def once() -> None:
            nonlocal deadline
            deadline = None
            if up is not None:
                up()

        def erase(n: int) -> None:
            nonlocal text
            gone, text = text[len(text) - n :], text[: len(text) - n]
            self._open, self._shown = bool(text), text  # before it shows: Ctrl-Z may come
            width = cell_len(gone)
            self.stdout.write("\b" * width + " " * width + "\b" * width)

        while True:
            self.stdout.flush()
            key = self._next(deadline, once)
            if key in {"", "\x04"} and not text:
                return None
            if key in {"\r", "\n", "\x04"}:
                self._open = False
                if text and tail is not None:
                    self.line(tail(), style="dim", end="")
                self.stdout.write("\n")
                return text
            if key in {"\x7f", "\b"} and text:
                erase(1)
            elif key == "\x15":
                erase(len(text))
            elif key == "\x17":  # the last word, and the spaces after it
                kept = text.rstrip()
                erase(len(text) - len(kept) + len(kept.split()[-1] if kept else ""))
            elif key == "\t" or (len(key) == 1 and key.isprintable()):
                key = " " if key == "\t" else key
                text += key
                self._open, self._shown = True, text
                self.stdout.write(key)

    def notice(self, text: str) -> int:
        """``text`` on rows of its own above the line being typed, which stays as it is
        (the terminal's line editing knows nothing of it); the rows it took."""
        n = self.rows(text)
        # make room below (scrolling at the last row), keep the place, open rows above it
        self.stdout.write("\x1bD" * n + "\x1bM" * n + f"\x1b7\x1b[{n}L\r")
        self.console.print(text, style="bold red", markup=False, highlight=False, end="")
        self.stdout.write(f"\x1b8\x1b[{n}B")  # back to the place, now n rows down
        self.stdout.flush()
        return n

    def key(self, prompt: str) -> str | None:
        """One key: a single key press on a terminal (Ctrl-D is ``q``, Enter is ``enter``),
        else the first word of a line (an empty line is ``enter``); None at end of input."""
        if not self.keys:
            text = self.read(prompt)
            if text is None:
                return None
            if not text.strip() and self.echo:
                self.line("> (Enter)")
            return text.strip().lower() or _ENTER
        self._open, self._shown = True, prompt.strip() + " "  # before it shows: Ctrl-C may come
        self.line(prompt + " ", style="bold", end="")
        self.stdout.flush()
        data = self._next()
        self._open = False
        if data == "":
            self.line("")
            return None
        key = {"\r": _ENTER, "\n": _ENTER, "\x04": "q"}.get(data, data.lower())
        if len(key) > 1 and key != _ENTER:
            key = ""  # an arrow key: not a key of ours
        self.line("↵" if key == _ENTER else key if key.isprintable() else "")
        return key

    def drop_ahead(self) -> None:
        """Forget the keys typed ahead (on a terminal)."""
        if self.keys and self._saved is not None:
            import termios

            termios.tcflush(self.stdin.fileno(), termios.TCIFLUSH)
        self._ahead = ""

    def read_answer(self, limit: float | None = None) -> str | Ending:
        """Lines up to an empty one, or how the session ends: `Ending.QUIT` for ``q`` alone on
        the first line (or Ctrl-D on an empty line of a terminal; Ctrl-D after text ends that
        line), `Ending.EOF` at the end of scripted input. With a ``limit`` in seconds, a
        terminal shows the time left after each line, and a notice the moment it is up."""
        lines: list[str] = []
        timed = f" You have {limit:g} s." if limit else ""
        quits = "q Enter or Ctrl-D quits" if self.keys else "q quits"
        prompt = (
            "Your answer (end with an empty line; Enter alone answers in your head; "
            f"{quits}):{timed}"
        )
        start = time.monotonic()
        deadline = start + limit if limit and self.keys and self.rich else None
        self.answer_rows = self.rows(prompt) + 1 if self.rich else 0  # and the empty line
        note = ""

        def up() -> None:  # the moment time is up, while you type
            nonlocal deadline
            deadline = None
            told = self.notice(
                f"Time is up ({limit:g} s): finish when ready; the overtime is noted."
            )
            self.answer_rows += told

        def left() -> str:  # the time left, on the row of each line typed
            nonlocal note
            left = limit - (time.monotonic() - start) if limit else 0
            note = f"  ({left:.0f} s left)" if left >= 0 else f"  ({-left:.0f} s over)"
            return note

        tail = left if limit and self.keys else None
        while (text := self.read(prompt if not lines else "", deadline, up, tail)) is not None:
            if not lines and text.strip().lower() == "q":
                return Ending.QUIT
            if not text.strip():
                return "\n".join(lines)
            lines.append(text)
            if self.rich:
                self.answer_rows += self.rows(text + note)
        return Ending.QUIT if self.keys else Ending.EOF


def when(moment: datetime, now: datetime) -> str:
    """``2026-03-01 09:10 (in 10 minutes)`` in local time, the time rounded to the minute as
    the wait is (5.5 minutes after 09:00 is 09:06, in 6 minutes)."""
    seconds = (moment - now).total_seconds()
    moment = (moment + timedelta(seconds=30)).replace(second=0, microsecond=0)
    if seconds < timedelta(hours=1).total_seconds():
        n, unit = max(math.floor(seconds / 60 + 0.5), 0), "minute"
    elif seconds < timedelta(days=2).total_seconds():
        n, unit = math.floor(seconds / 3600 + 0.5), "hour"
    else:
        n, unit = math.floor(seconds / 86400 + 0.5), "day"
    return f"{moment.astimezone():%Y-%m-%d %H:%M} (in {n} {unit}{'s' if n != 1 else ''})"


@dataclass
class _Again:
    """A card to ask again in this session."""

    due: datetime
    item: Item


def interview(
    drill: Drill, turns: Sequence[Turn], screen: Screen, *, limit: float | None = None
) -> Outcome:
    """Ask ``turns`` in order: each question, then its follow-ups, each revealed and rated.

    A card rated Again or Hard whose next step is within `LEARN_AHEAD` comes back: after the
    question in progress once it is due, and in any case before the session ends. ``limit``
    is the seconds allowed for each answer (None: no timer)."""
    screen.cbreak()
    try:
        return _interview(drill, turns, screen, limit)
    finally:
        screen.restore()


def _interview(drill: Drill, turns: Sequence[Turn], screen: Screen, limit: float | None) -> Outcome:
    due = sum(not t.new for t in turns)
    screen.line(f"{counted(len(turns), 'question')}: {due} due, {len(turns) - due} new.")
    ratings = 0
    again: list[_Again] = []

    def ask(item: Item) -> Ending | None:
        nonlocal ratings
        done = _ask_one(drill, item, screen, limit)
        if isinstance(done, Ending):
            return done
        ratings += 1
        card, rating = done
        learning = card.state in {State.Learning, State.Relearning}
        if learning and rating in _BACK and card.due - drill.clock() <= LEARN_AHEAD:
            again.append(_Again(card.due, item))
        return None

    def repeats(everything: bool) -> Ending | None:
        while again:
            again.sort(key=lambda a: a.due)
            if not everything and again[0].due > drill.clock():
                return None
            item = again.pop(0).item
            screen.line("")
            q = item.question
            screen.line(f"━━ again · {q.id} · {q.level.value}", style="bold")
            if (ending := ask(item)) is not None:
                return ending
        return None

    for number, turn in enumerate(turns, 1):
        q = turn.question
        status = "new" if turn.new else "due"
        screen.line("")
        screen.line(f"━━ {number}/{len(turns)} · {q.id} · {q.level.value} · {status}", style="bold")
        if turn.items and turn.items[0].slot != 0:  # only follow-ups are due: set the scene
            screen.blocks([("Earlier question", drill.ask(Item(q, 0)).ask)])
        for item in turn.items:
            if (ending := ask(item)) is not None:
                return Outcome(ending, ratings, number - 1)
        if (ending := repeats(everything=False)) is not None:
            return Outcome(ending, ratings, number)
    if (ending := repeats(everything=True)) is not None:
        return Outcome(ending, ratings, len(turns))
    return Outcome(Ending.DONE, ratings, len(turns))


_BACK = {Rating.Again, Rating.Hard}


def _ask_one(
    drill: Drill, item: Item, screen: Screen, limit: float | None
) -> Ending | tuple[Card, int]:
    """Ask, reveal and rate one card: how the session ends, or (the card as scheduled next,
    the rating)."""
    prompt = drill.ask(item)
    if item.follow_up is not None:
        chain = len(item.question.follow_ups)
        label = f"Follow-up {item.number} of {chain}"
    else:
        label = item.question.kind.label
    screen.blocks([(label, prompt.ask)])
    start = time.monotonic()
    answer = screen.read_answer(limit)
    took = time.monotonic() - start
    if isinstance(answer, Ending):
        return _stopped(answer, screen)
    typed = bool(answer.strip())
    suggestion: int | None = None
    rest = list(prompt.more)
    said = feedback(prompt.points, answer) if prompt.points else None
    if said is not None and typed:
        suggestion = said.suggestion
    if said is not None and prompt.lead and typed:  # what the interviewer tests, with `m`
        rest = list(prompt.notes) + rest
    shown = False

    def rate_prompt() -> str:
        more = " [m] more" if rest and not shown else ""
        take = f" [Enter] {RATINGS[suggestion]}" if suggestion else ""
        return f"\nRate: {_KEYS}{take}{more} [q] quit"

    timing = ""
    if limit:
        over = took - limit
        timing = f"{took:.0f} s of {limit:g}" + (f": {over:.0f} s overtime" if over > 0 else "")
        gap = "" if screen.keys else "\n"  # on a terminal, the row that ended the answer
        timing = f"{gap}Time: {timing}"
        screen.line(timing, style="bold red" if over > 0 else "")
    # the typed answer stays on screen above the key points, which fit the room left
    room = screen.room(timing, rate_prompt()) if screen.rich else 0
    if said is not None and prompt.lead:  # the key points first; the rest with `m`
        screen.feedback(said, typed, room)
        if not typed:
            screen.blocks(list(prompt.notes))
    else:
        reveal = [("A strong answer holds", prompt.core or "(the source gives no answer text)")]
        screen.blocks(reveal)
        if said is not None and typed:
            screen.feedback(said, typed, room)
        screen.blocks(list(prompt.notes))
    while True:
        more = " [m] more" if rest and not shown else ""
        key = screen.key(rate_prompt())
        if key is None:
            return _stopped(Ending.EOF, screen)
        if key == "q":
            return _stopped(Ending.QUIT, screen)
        if key == "m" and rest and not shown:
            screen.blocks(rest)
            shown = True
            continue
        if key == _ENTER and suggestion:
            key = str(suggestion)
        if key in {str(k) for k in RATINGS}:
            card = drill.rate(item, int(key), seconds=round(took, 3))
            screen.line(f"{RATINGS[int(key)]}: next {when(card.due, drill.clock())}")
            return card, int(key)
        screen.drop_ahead()  # a paste, a slip: one complaint, not one a key
        keys = "1, 2, 3 or 4 to rate" + (", Enter for the suggestion" if suggestion else "")
        screen.line(f"Press {keys}" + (", m for more" if more else "") + ", q to quit.")


def _stopped(ending: Ending, screen: Screen) -> Ending:
    if ending is Ending.QUIT:
        screen.line("This question was not rated, so it is not saved.")
    return ending


def show_stats(stats: Stats, screen: Screen) -> None:
    """The ``--stats`` tables (by section, by level, and in all) and the week ahead."""
    screen.tables(
        [("By section", stats.sections), ("By level", stats.levels), ("In all", [stats.total])]
    )
    if stats.week:
        screen.week(stats.week)


def packed(parts: Sequence[str], width: int, sep: str) -> list[str]:
    """``parts`` joined by ``sep`` into lines of at most ``width`` characters, never breaking
    a part (one wider than ``width`` has a line of its own)."""
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + len(sep) + len(part) <= width:
            lines[-1] += sep + part
        else:
            lines.append(part)
    return lines
