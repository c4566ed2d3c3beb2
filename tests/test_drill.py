"""``dockerqa drill``: a mock interview scheduled by FSRS, driven through the real command with
scripted input and a fixed clock, on copies of the corpus and a store in a temporary folder."""

from __future__ import annotations

import json
import os
import re
import select
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fsrs import Card, Rating, Scheduler

import dockerqa
from conftest import corpus_copy
from dockerqa.drill import Store, _card_id
from dockerqa.lock import read_lock

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
DOCKERQA = str(Path(sys.executable).with_name("dockerqa"))
ENV = {**os.environ, "TZ": "UTC"}
VM = "fundamentals/vm-vs-container"
#: Card ids are a stored format (the store and FSRS keep them): these may never change.
CARD_IDS_BY_SLOT = {
    ("dockerqa", VM, 0): 540086042571649846,
    ("dockerqa", VM, 1): 1599490646803349229,
    ("dockerqa", "advanced/multi-architecture-builds", 0): 7532250192552056015,
    ("k8s", "basics/pods", 0): 5934758801894269807,
}
ARCH = "fundamentals/docker-architecture-components"
LAYERS = "fundamentals/image-layers-union-file-system"


@pytest.fixture
def page(tmp_path: Path) -> Path:
    """A copy of the corpus page with its metadata and lock (the lock changes beside it)."""
    return corpus_copy(tmp_path)


@pytest.fixture
def store(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir(exist_ok=True)  # a store you name goes in a folder that exists
    return tmp_path / "data" / "drill.sqlite3"


def _args(page: Path, store: Path, now: datetime, *extra: str) -> list[str]:
    stamp = now.isoformat()
    return [DOCKERQA, "drill", "--source", str(page), "--store", str(store), "--now", stamp, *extra]


def drill(
    page: Path, store: Path, *extra: str, now: datetime = T0, input: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run ``dockerqa drill`` with scripted standard input."""
    return subprocess.run(
        _args(page, store, now, *extra),
        input=input,
        capture_output=True,
        text=True,
        timeout=300,
        env=ENV,
    )


def script(*ratings: int) -> str:
    """Answer every card in the head (Enter) and give it the next rating."""
    return "".join(f"\n{r}\n" for r in ratings)


def asked(output: str) -> list[str]:
    """Question ids in the order the session asked them."""
    return re.findall(r"^━━ \d+/\d+ · (\S+) ·", output, re.M)


def cards(store: Path) -> dict[tuple[str, int], datetime]:
    with sqlite3.connect(store) as db:
        rows = db.execute("SELECT question, slot, due FROM cards").fetchall()
    return {(q, s): datetime.fromisoformat(d) for q, s, d in rows}


def reviews(store: Path) -> list[tuple[str, int, int]]:
    with sqlite3.connect(store) as db:
        return db.execute("SELECT question, slot, rating FROM reviews ORDER BY id").fetchall()


def fsrs_due(*ratings: tuple[Rating, datetime]) -> datetime:
    """What py-fsrs itself gives a new card for these ratings at these times, without fuzz."""
    scheduler = Scheduler(enable_fuzzing=False)
    card = Card(card_id=1, due=ratings[0][1])
    for rating, moment in ratings:
        card, _ = scheduler.review_card(card, rating, moment)
    return card.due


def slots(page: Path, qid: str) -> list[int]:
    """The lock's slots of a question's answered follow-ups, in chain order."""
    entry = read_lock(page.with_suffix(".lock")).entry(qid)
    assert entry is not None
    question = dockerqa.load(page).get(qid)
    found = entry.slot_of(question)
    return [s for s, f in zip(found, question.follow_ups, strict=True) if f.answer and s]


def test_first_drill_schedules_what_fsrs_gives_for_the_ratings(page: Path, store: Path) -> None:
    lib = dockerqa.load(page)
    chosen = {VM: Rating.Easy, ARCH: Rating.Good, LAYERS: Rating.Again}
    n = {qid: 1 + len(lib.get(qid).answered_follow_ups) for qid in chosen}
    assert n == {VM: 5, ARCH: 4, LAYERS: 4}
    # the first answer is typed (two lines), the first reveal expanded with m; the cards
    # rated Again come back at the end of the session (rated Good then)
    typed = "namespaces and cgroups\nshared kernel\n\nm\n4\n"
    ratings = script(*[4] * 4, *[3] * 4, *[1] * 4, *[3] * 4)
    result = drill(page, store, "--new", "3", input=typed + ratings)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert asked(result.stdout) == [VM, ARCH, LAYERS]
    assert result.stdout.count(f"━━ again · {LAYERS} · basic") == 4
    assert "3 questions: 0 due, 3 new." in result.stdout
    assert "> namespaces and cgroups\n> shared kernel\n" in result.stdout
    assert "--- Key points: 2 of 9 covered, suggesting Again ---" in result.stdout
    assert "--- A strong answer holds ---" in result.stdout  # m
    assert "--- Red flag answer ---" in result.stdout
    assert "--- What interviewers are really testing ---" in result.stdout
    assert "Session over: 17 ratings saved." in result.stdout

    expected = {
        (qid, slot): fsrs_due((rating, T0)) for qid, rating in chosen.items()
        for slot in [0, *slots(page, qid)]
    }  # fmt: skip
    assert len(expected) == 13
    # the dates the ratings give: Again 1 minute, Good 10 minutes, Easy some days on
    assert expected[(LAYERS, 0)] == T0 + timedelta(minutes=1)
    assert expected[(ARCH, 0)] == T0 + timedelta(minutes=10)
    assert expected[(VM, 0)] > T0 + timedelta(days=2)
    assert f"Easy: next {expected[(VM, 0)]:%Y-%m-%d %H:%M} (in " in result.stdout
    assert "Again: next 2026-03-01 09:01 (in 1 minute)" in result.stdout
    again = fsrs_due((Rating.Again, T0), (Rating.Good, T0))
    expected |= {k: again for k in expected if k[0] == LAYERS}
    assert cards(store) == expected
    assert [r for _, _, r in reviews(store)] == [4] * 5 + [3] * 4 + [1] * 4 + [3] * 4

    # a day later exactly the due ones come back, most overdue first; no new ones
    later = T0 + timedelta(days=1)
    second = drill(page, store, "--new", "0", now=later, input=script(*[3] * 8))
    assert second.returncode == 0, second.stderr
    assert asked(second.stdout) == [ARCH, LAYERS]  # both due at 09:10: in source order
    assert "2 questions: 2 due, 0 new." in second.stdout
    assert cards(store)[(LAYERS, 0)] == fsrs_due(
        (Rating.Again, T0), (Rating.Good, T0), (Rating.Good, later)
    )
    assert cards(store)[(VM, 0)] == expected[(VM, 0)]  # not due: untouched
    assert len(reviews(store)) == 25

    # with new questions allowed, the due ones still come first, most overdue first
    due = cards(store)
    order = sorted((VM, ARCH, LAYERS), key=lambda q: min(d for k, d in due.items() if k[0] == q))
    third = drill(
        page, store, "--new", "1", now=later + timedelta(days=30), input=script(*[3] * 30)
    )
    assert third.returncode == 0, third.stderr
    assert asked(third.stdout) == [*order, "fundamentals/dockerfile-copy-vs-add"]


def test_an_upstream_rename_keeps_the_history(page: Path, store: Path) -> None:
    first = drill(page, store, "--new", "1", input=script(1, 3, 3, 3, 3))
    assert first.returncode == 0, first.stderr
    text = page.read_text(encoding="utf-8")
    renamed = text.replace('title="1. VM vs Container"', 'title="1. Virtual Machine vs Container"')
    assert renamed != text
    page.write_text(renamed, encoding="utf-8")
    assert VM not in {q.id for q in dockerqa.load(page)}  # the page alone gives a new id

    later = T0 + timedelta(days=1)
    second = drill(page, store, "--new", "0", now=later, input=script(3, 3, 3, 3, 3))
    assert second.returncode == 0, second.stderr
    assert asked(second.stdout) == [VM]
    assert "· due" in second.stdout
    # the front written for the old title no longer applies: the title's own question shows
    assert "Virtual Machine vs Container: how do they differ?" in second.stdout
    assert read_lock(page.with_suffix(".lock")).renames() == {
        "fundamentals/virtual-machine-vs-container": VM
    }
    assert cards(store)[(VM, 0)] == fsrs_due((Rating.Again, T0), (Rating.Good, later))
    assert {q for q, _, _ in reviews(store)} == {VM}


def test_a_retired_question_is_not_asked(page: Path, store: Path) -> None:
    first = drill(page, store, "--new", "1", input=script(1, 1, 1, 1, 1))
    assert first.returncode == 0, first.stderr
    lines = page.read_text(encoding="utf-8").split("\n")
    start = lines.index('  <Accordion title="1. VM vs Container">')
    end = lines.index("  </Accordion>", start)
    page.write_text("\n".join(lines[:start] + lines[end + 1 :]), encoding="utf-8")

    later = T0 + timedelta(days=1)
    second = drill(page, store, "--new", "0", now=later)
    assert second.returncode == 0, second.stderr
    assert second.stdout == "Nothing is due, and --new 0 asks for no new question.\n"
    entry = read_lock(page.with_suffix(".lock")).entry(VM)
    assert entry is not None and entry.retired is not None
    third = drill(page, store, "--new", "1", now=later)
    assert asked(third.stdout) == [ARCH]  # the next new one, not the retired due one


def test_a_killed_drill_keeps_every_completed_rating(page: Path, store: Path) -> None:
    proc = subprocess.Popen(
        _args(page, store, T0, "--new", "2"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ENV,
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        proc.stdin.write(b"\n2\n")
        proc.stdin.flush()
        seen = b""
        deadline = time.monotonic() + 120
        # the next card is asked only after the rating is saved
        while b"Follow-up 1 of 4 ---\n" not in seen or not seen.endswith(b"q quits):\n"):
            assert time.monotonic() < deadline, seen.decode()
            ready, _, _ = select.select([proc.stdout], [], [], 1)
            if ready:
                chunk = os.read(proc.stdout.fileno(), 65536)
                assert chunk, seen.decode()
                seen += chunk
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdin.close()
        proc.stdout.close()
        assert proc.stderr is not None
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assert reviews(store) == [(VM, 0, 2)]
    assert cards(store) == {(VM, 0): fsrs_due((Rating.Hard, T0))}
    with sqlite3.connect(store) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_two_drills_at_once_share_the_store(page: Path, store: Path) -> None:
    procs = [
        subprocess.Popen(
            _args(page, store, T0, "--new", "3", "--section", section),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=ENV,
        )
        for section in ("fundamentals", "networking-storage")
    ]
    outputs: list[tuple[str, str]] = [("", "")] * 2

    def talk(i: int) -> None:
        outputs[i] = procs[i].communicate(script(*[3] * 40), timeout=300)

    threads = [threading.Thread(target=talk, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [p.returncode for p in procs] == [0, 0], outputs
    lib = dockerqa.load(page)
    wanted = sum(
        1 + len(q.answered_follow_ups)
        for section in ("fundamentals", "networking-storage")
        for q in list(lib.filter(section=section))[:3]
    )
    said = [re.search(r"(\d+) ratings saved", out).group(1) for out, _ in outputs]  # type: ignore[union-attr]
    assert sum(map(int, said)) == wanted
    assert len(reviews(store)) == wanted == len(cards(store))
    with sqlite3.connect(store) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.mark.parametrize(
    "content",
    [b"this is not a database, just some words\n" * 100, b"SQLite format 3\x00" + b"\xff" * 4000],
)
def test_a_damaged_store_is_one_clear_line(page: Path, store: Path, content: bytes) -> None:
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_bytes(content)
    for extra in ((), ("--stats",)):
        result = drill(page, store, *extra, input=script(3))
        assert result.returncode == 1
        assert result.stdout == ""
        line = result.stderr
        assert line.startswith(f"dockerqa: error: {store}: not a usable drill store (")
        assert line.count("\n") == 1, line
    assert store.read_bytes() == content  # left as it was


def test_a_store_of_something_else_is_refused(page: Path, store: Path) -> None:
    store.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(store) as db:
        db.execute("CREATE TABLE notes (x)")
    result = drill(page, store, input=script(3))
    assert result.returncode == 1
    assert (
        result.stderr
        == f"dockerqa: error: {store}: not a dockerqa drill store (it has other tables)\n"
    )


def test_end_of_input_and_quit_keep_the_ratings_given(page: Path, store: Path) -> None:
    ended = drill(page, store, "--new", "1", input=script(3, 3))
    assert ended.returncode == 0
    assert ended.stderr == "dockerqa: end of input; 2 ratings saved\n"
    quit = drill(page, store, "--new", "1", now=T0 + timedelta(days=1), input="\nx\nq\n")
    assert quit.returncode == 0, quit.stderr
    assert "Press 1, 2, 3 or 4 to rate, m for more, q to quit." in quit.stdout
    assert quit.stdout.endswith(
        "> q\nThis question was not rated, so it is not saved.\n\n"
        "Session stopped: 0 ratings saved.\n"
    )
    assert len(reviews(store)) == 2


def test_stats_table(page: Path, store: Path) -> None:
    drill(page, store, "--new", "3", input=script(*[4] * 5, *[3] * 4, *[1] * 4))
    result = drill(page, store, "--stats", now=T0 + timedelta(hours=1))
    assert result.returncode == 0, result.stderr
    rows = {
        cells[0]: cells[1:]
        for line in result.stdout.splitlines()
        if len(cells := [c.strip() for c in line.strip("│ ").split("│")]) == 6
    }
    # questions, new, due today, reviews, retention (no review card graded yet)
    assert rows["all"] == ["88", "85", "2", "13", "no due reviews yet"]
    assert rows["fundamentals"][:4] == [
        str(len(dockerqa.load(page).filter(section="fundamentals"))),
        *rows["fundamentals"][1:4],
    ]
    assert rows["basic"][2:4] == ["2", "13"]


def test_retention_counts_ratings_of_review_cards(page: Path, store: Path) -> None:
    drill(page, store, "--new", "1", input=script(4, 4, 4, 4, 4))  # straight into review
    later = T0 + timedelta(days=40)
    assert drill(page, store, "--new", "0", now=later, input=script(1, 4)).returncode == 0
    result = drill(page, store, "--stats", now=later)
    # new cards do not count; of the two review cards rated since, one was forgotten
    assert "50% (1/2)" in result.stdout
    result = drill(page, store, "--stats", now=later + timedelta(days=31))
    assert "50%" not in result.stdout  # older than 30 days


@pytest.mark.parametrize(("page_key", "question", "slot"), list(CARD_IDS_BY_SLOT))
def test_card_ids_never_change(page_key: str, question: str, slot: int) -> None:
    assert _card_id(page_key, question, slot) == CARD_IDS_BY_SLOT[(page_key, question, slot)]


def test_python_api(page: Path, tmp_path: Path) -> None:
    with dockerqa.Store(tmp_path / "api.sqlite3") as store:
        drill = dockerqa.Drill.open(page, store, filters={"level": "advanced"}, now=T0)
        turns = drill.plan(new=2)
        assert [t.new for t in turns] == [True, True]
        assert all(t.question.level == "advanced" for t in turns)
        first = turns[0].items[0]
        prompt = drill.ask(first)
        assert prompt.core and prompt.ask
        card = drill.rate(first, 3)
        assert card.due == fsrs_due((Rating.Good, T0))
        assert (drill.key, first.question.id) == ("dockerqa", "advanced/multi-architecture-builds")
        stored = store.cards(drill.key)[(first.question.id, 0)].card_id
        assert stored == CARD_IDS_BY_SLOT[(drill.key, first.question.id, 0)]
        assert drill.plan(new=0) == []  # due in 10 minutes, not yet
        with pytest.raises(dockerqa.DrillError, match="unknown rating 5"):
            drill.rate(first, 5)


def test_store_location(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from dockerqa.drill import default_store

    monkeypatch.delenv("DOCKERQA_DRILL_STORE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_store() == tmp_path / "xdg" / "dockerqa" / "drill.sqlite3"
    monkeypatch.setenv("XDG_DATA_HOME", "")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_store() == tmp_path / ".local" / "share" / "dockerqa" / "drill.sqlite3"
    monkeypatch.setenv("DOCKERQA_DRILL_STORE", str(tmp_path / "mine.db"))
    assert default_store() == tmp_path / "mine.db"
    Store().close()
    assert (tmp_path / "mine.db").is_file()


def test_bad_now_is_one_line(page: Path, store: Path) -> None:
    result = subprocess.run(
        [DOCKERQA, "drill", "--source", str(page), "--store", str(store), "--now", "tuesday"],
        capture_output=True,
        text=True,
        env=ENV,
    )
    assert result.returncode == 1
    assert (
        result.stderr
        == "dockerqa: error: 'tuesday' is not an ISO date-time (e.g. 2026-03-01T09:00:00Z)\n"
    )


def test_a_store_in_a_missing_folder_is_empty_for_stats_and_refused_by_a_session(
    page: Path, tmp_path: Path
) -> None:
    store = tmp_path / "nodir" / "s.sqlite3"
    stats = drill(page, store, "--stats")  # reading needs no folder: nothing rated yet
    assert (stats.returncode, stats.stderr) == (0, ""), stats.stderr
    assert re.search(r"│ all +│ +88 │ +88 │ +0 │ +0 │ no due reviews yet │", stats.stdout)
    result = drill(page, store, "--new", "1", input=script(3))  # a session writes
    assert result.returncode == 1
    assert result.stderr == (
        f"dockerqa: error: {store}: no such directory {store.parent}; create it first\n"
    )
    assert not store.parent.exists()


# --- a real terminal --------------------------------------------------------------------------

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\x1b[()][A-Z0-9]|\x1b[78DM]")


class Terminal:
    """``dockerqa drill`` in a pseudo-terminal (80×24 unless told): keys in, the screen's text
    out (escape sequences taken out)."""

    def __init__(
        self, page: Path, store: Path, *extra: str, now: datetime = T0, columns: int = 80
    ) -> None:
        import fcntl
        import pty
        import struct
        import termios

        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
        env = {**ENV, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": "24"}
        self.proc = subprocess.Popen(
            _args(page, store, now, *extra),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        self.fd = master
        self.raw = b""
        self.mark = 0
        self.columns = columns

    @property
    def text(self) -> str:
        return _ANSI.sub("", self.raw.decode(errors="replace")).replace("\r\n", "\n")

    def expect(self, wanted: str, timeout: float = 20) -> str:
        """Read until ``wanted`` shows after what was expected last; the text up to it."""
        deadline = time.monotonic() + timeout
        while (at := self.text.find(wanted, self.mark)) < 0:
            assert time.monotonic() < deadline, f"{wanted!r} never came: {self.raw[-600:]!r}"
            ready, _, _ = select.select([self.fd], [], [], 1)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:  # the other side closed
                    chunk = b""
                assert chunk or wanted in self.text, self.text
                self.raw += chunk
        seen = self.text[self.mark : at + len(wanted)]
        self.mark = at + len(wanted)
        return seen

    def press(self, keys: bytes) -> None:
        os.write(self.fd, keys)

    def screen(self) -> list[str]:
        """The rows the terminal shows now (what ``tmux capture-pane -p`` gives), from a
        terminal emulator fed everything written so far."""
        import pyte

        rows, columns = 24, self.columns
        shown = pyte.Screen(columns, rows)
        pyte.ByteStream(shown).feed(self.raw)
        return [row.rstrip() for row in shown.display]

    def finish(self) -> int:
        """Read until the command exits; its status."""
        while True:
            ready, _, _ = select.select([self.fd], [], [], 20)
            assert ready, self.raw[-600:]
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:  # the other side closed
                chunk = b""
            if not chunk:
                return self.close()
            self.raw += chunk

    def close(self) -> int:
        try:
            return self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise
        finally:
            os.close(self.fd)


def test_single_keys_in_a_terminal(page: Path, store: Path) -> None:
    term = Terminal(page, store, "--new", "1")
    try:
        term.expect("Ctrl-D quits):")
        term.press(b"namespaces and cgroups\r\r")
        reveal = term.expect("[Enter] Again [m] more [q] quit")
        assert "Key points: 2 of 9 covered, suggesting Again" in reveal
        assert "✗ Guest OS" in reveal and "✓ Namespaces" in reveal
        assert "Rest of the answer" not in reveal  # the key points first, not the answer
        term.press(b"m")  # no Enter
        more = term.expect("[Enter] Again [q] quit")
        assert "A strong answer holds" in more and "Red flag answer" in more
        term.press(b"x")
        term.expect("Press 1, 2, 3 or 4 to rate, Enter for the suggestion, q to quit.")
        term.press(b"\r")  # takes the suggestion
        term.expect("Again: next 2026-03-01 09:01 (in 1 minute)")
        term.expect("Ctrl-D quits):")
        term.press(b"\r")  # answered in the head: no suggestion
        term.expect("[q] quit")
        term.press(b"3")
        term.expect("Good: next")
        term.expect("Ctrl-D quits):")
        term.press(b"q\r")  # q on an empty answer prompt
        term.expect("This question was not rated, so it is not saved.")
        term.expect("Session stopped: 2 ratings saved.")
    finally:
        status = term.close()
    assert status == 0
    assert [r for _, _, r in reviews(store)] == [1, 3]


def test_a_narrow_terminal_loses_nothing(page: Path, store: Path) -> None:
    term = Terminal(page, store, "--new", "1", "--time", "90", columns=40)
    try:
        term.expect("You have 90 s.")
        term.press(b"Containers share the host kernel.\r")
        term.expect(" s left)")  # the time left after each line typed
        term.press(b"\r")
        reveal = term.expect("[m] more [q] quit")
        assert re.search(r"^Time: \d+ s of 90$", reveal, re.M), reveal
        # the typed answer stays on the 24 lines of the screen, above the reveal
        shown = term.text[term.text.rindex("Containers share the host kernel.") : term.mark]
        assert shown.count("\n") < 24, shown
        term.press(b"m")
        more = term.expect("[q] quit")
        # the table's cells fold long words rather than cut them; no pager, no raw codes
        assert "…" not in more
        assert re.search(r"Virtualizat\s+.*\n\s*ion level", more), more
        assert not re.search(r"\[[0-9;]+m|ESC\[", term.text)
        term.press(b"q")
        term.expect("Session stopped: 0 ratings saved.")
    finally:
        status = term.close()
    assert status == 0


@pytest.mark.parametrize("columns", [80, 40])
def test_a_timed_answer_stays_on_screen_above_the_key_points(
    page: Path, store: Path, columns: int
) -> None:
    # ARCH has 13 key points; the timer's notes and the notice take rows of the screen too
    assert drill(page, store, "--new", "1", input=script(3, 3, 3, 3, 3)).returncode == 0
    term = Terminal(page, store, "--new", "1", "--time", "2", columns=columns)
    try:
        term.expect("You have 2 s.")
        term.press(b"Docker has a client, a daemon and registries.\r")
        term.expect(" s left)")
        term.expect("Time is up (2 s)", timeout=10)
        term.press(b"more text\r")
        term.expect(" s over)")
        term.press(b"\r")
        term.expect("[m] more [q] quit")
        rows = term.screen()
        term.press(b"q")
        term.expect("Session stopped: 0 ratings saved.")
    finally:
        status = term.close()
    assert status == 0
    text = "\n".join(rows)
    flat = " ".join(text.split())
    # the whole answer, the notice unbroken, every key point and the rating keys on screen
    assert "Docker has a client, a daemon and regist" in text, text
    assert re.search(r"^more text\b", text, re.M), text
    assert "Time is up (2 s): finish when ready; the overtime is noted." in flat, text
    assert re.search(r"^Time: \d+ s of 2: \d+ s overtime$", text, re.M), text
    assert "Key points: 3 of 13 covered" in flat, text
    assert text.count("✓") + text.count("✗") == 13, text
    assert rows[-1].endswith("[q] quit"), text


def test_keys_typed_ahead_show_once_and_count(page: Path, store: Path) -> None:
    # an answer, its empty line and the rating typed in one go, before the reveal shows; then a
    # rating and the next answer's Enter and rating in one go: each key shows once, where its
    # prompt is, and none is lost
    term = Terminal(page, store, "--new", "1")
    try:
        term.expect("Ctrl-D quits):")
        term.press(b"namespaces and cgroups\r\r1")
        seen = term.expect("Again: next")
        term.expect("Ctrl-D quits):")
        term.press(b"\r3\r4")  # answered in the head, Good; the next one in the head, Easy
        seen += term.expect("Good: next") + term.expect("Easy: next")
        term.expect("Ctrl-D quits):")
        term.press(b"\x04")
        term.expect("Session stopped: 3 ratings saved.")
    finally:
        status = term.close()
    assert status == 0
    assert [r for _, _, r in reviews(store)] == [1, 3, 4]
    # the tty echoes nothing: each key shows once, after its prompt
    assert not re.search(r"^[134]$", seen, re.M), seen
    assert re.search(r"\[q\] quit 1\nAgain: next", seen), seen
    assert re.search(r"\[q\] quit 3\nGood: next", seen), seen
    assert re.search(r"\[q\] quit 4\nEasy: next", seen), seen
    assert seen.count("namespaces and cgroups") == 1


def test_a_typed_answer_can_be_edited(page: Path, store: Path) -> None:
    # Backspace, Ctrl-W (a word) and Ctrl-U (the line) as a terminal gives them
    term = Terminal(page, store, "--new", "1")
    try:
        term.expect("Ctrl-D quits):")
        term.press(b"guest\x15namespacez\x7fs and wrong\x17cgroups\r\r")
        reveal = term.expect("[m] more [q] quit")
        assert "Key points: 2 of 9 covered, suggesting Again" in reveal
        assert "✓ Namespaces" in reveal and "✗ Guest OS" in reveal
        term.press(b"q")
        term.expect("Session stopped: 0 ratings saved.")
    finally:
        status = term.close()
    assert status == 0


def test_key_points_answered_in_the_head_are_never_cut(page: Path, store: Path) -> None:
    # no typed answer to keep on screen: every point shows whole, folded at 40 columns
    term = Terminal(page, store, "--new", "2", columns=40)
    try:
        for _ in range(5):  # VM's question and its four follow-ups
            term.expect("Ctrl-D quits):")
            term.press(b"\r")
            term.expect("[q] quit")
            term.press(b"3")
        term.expect(ARCH[:30])
        term.expect("Ctrl-D quits):")
        term.press(b"\r")
        reveal = term.expect("[m] more [q] quit")
        term.press(b"q")
        term.expect("Session stopped: 5 ratings saved.")
    finally:
        status = term.close()
    assert status == 0
    points = reveal[reveal.index("Key points") : reveal.index("What interviewers")]
    assert not re.search(r"\S…", points), points  # only the heads' own " …", none cut
    flat = " ".join(points.split())
    assert "Daemon queries Registry for the image manifest (JSON …" in flat, points


def test_back_from_ctrl_z_the_drill_takes_keys_again(page: Path, store: Path) -> None:
    # stopped (Ctrl-Z), the shell puts the terminal back in its line mode; continued (fg), the
    # drill takes single keys again and shows the line being typed
    import termios

    term = Terminal(page, store, "--new", "1")
    try:
        term.expect("Ctrl-D quits):")
        term.press(b"namespaces")
        term.expect("namespaces")
        os.kill(term.proc.pid, signal.SIGSTOP)
        stat = Path(f"/proc/{term.proc.pid}/stat")
        deadline = time.monotonic() + 20
        while stat.read_text().split(") ")[1][0] != "T":  # stopped, as by Ctrl-Z
            assert time.monotonic() < deadline
            time.sleep(0.05)
        mode = termios.tcgetattr(term.fd)
        mode[3] |= termios.ICANON | termios.ECHO  # as the shell leaves it
        termios.tcsetattr(term.fd, termios.TCSANOW, mode)
        os.kill(term.proc.pid, signal.SIGCONT)
        term.expect("namespaces")  # the line typed so far, shown again
        time.sleep(0.5)
        term.press(b" and cgroups\r\r")
        reveal = term.expect("[m] more [q] quit")
        assert "Key points: 2 of 9 covered" in reveal
        term.press(b"q")
        term.expect("Session stopped: 0 ratings saved.")
    finally:
        status = term.close()
    assert status == 0
    assert term.text.count(" and cgroups") == 1  # echoed once: by the drill, not the terminal


def test_a_paste_at_a_rating_prompt_is_one_complaint(page: Path, store: Path) -> None:
    # what is not a key of the prompt drops what was typed after it: one line, not one a key
    term = Terminal(page, store, "--new", "1")
    try:
        term.expect("Ctrl-D quits):")
        term.press(b"\r")
        term.expect("[q] quit")
        term.press(b"second paragraph of a pasted answer")
        seen = term.expect("q to quit.")
        time.sleep(1)
        term.press(b"3")
        seen += term.expect("Good: next")
        term.expect("Ctrl-D quits):")
        term.press(b"\x04")
        term.expect("Session stopped: 1 rating saved.")
    finally:
        status = term.close()
    assert status == 0
    assert seen.count("Press 1, 2, 3 or 4") == 1, seen


def test_an_answer_may_start_with_q(page: Path, store: Path) -> None:
    # at an answer prompt letters are the answer: q quits only as the whole first line
    term = Terminal(page, store, "--new", "1")
    try:
        term.expect("Ctrl-D quits):")
        term.press(b"q")
        time.sleep(0.5)
        term.press(b"uickly: namespaces and cgroups\r\r")
        reveal = term.expect("[m] more [q] quit")
        assert "Key points: 2 of 9 covered" in reveal
        assert "quickly: namespaces and cgroups" in reveal
        term.press(b"1")
        term.expect("Ctrl-D quits):")
        term.press(b"Q\r")  # q alone, either case, quits
        term.expect("This question was not rated, so it is not saved.")
        term.expect("Session stopped: 1 rating saved.")
    finally:
        status = term.close()
    assert status == 0


@pytest.mark.parametrize("where", ["answer", "rating"])
def test_ctrl_c_puts_the_terminal_back(page: Path, store: Path, where: str) -> None:
    import termios

    term = Terminal(page, store, "--new", "1")
    before = termios.tcgetattr(term.fd)
    try:
        term.expect("Ctrl-D quits):")
        if where == "rating":
            term.press(b"\r")
            term.expect("[q] quit")
        else:
            term.press(b"half an answer")
            term.expect("half an answer")
        assert not termios.tcgetattr(term.fd)[3] & termios.ICANON  # single keys meanwhile
        os.kill(term.proc.pid, signal.SIGINT)
        term.expect("dockerqa: interrupted")
        after = termios.tcgetattr(term.fd)
    finally:
        status = term.close()
    assert status == 130
    assert after == before  # as it was
    # on a line of its own
    assert re.search(r"(quit |answer)\n+dockerqa: interrupted", term.text), term.text[-1500:]


@pytest.mark.parametrize("where", ["answer", "rating"])
def test_ctrl_d_quits_from_any_prompt_in_a_terminal(page: Path, store: Path, where: str) -> None:
    term = Terminal(page, store, "--new", "1")
    try:
        term.expect("Ctrl-D quits):")
        if where == "rating":
            term.press(b"\r")
            term.expect("[q] quit")
        term.press(b"\x04")
        term.expect("This question was not rated, so it is not saved.")
        term.expect("Session stopped: 0 ratings saved.")
    finally:
        status = term.close()
    assert status == 0
    assert not store.exists() or reviews(store) == []


@pytest.mark.parametrize("then", [b"\r", b"\x04"])
def test_ctrl_d_ends_a_line_with_text_then_quits(page: Path, store: Path, then: bytes) -> None:
    term = Terminal(page, store, "--new", "1")
    try:
        term.expect("Ctrl-D quits):")
        term.press(b"namespaces and cgroups\x04")  # ends the line, as a terminal's EOF does
        time.sleep(0.5)
        term.press(then)
        if then == b"\r":  # an empty line ends the answer: the text counted
            reveal = term.expect("[Enter] Again [m] more [q] quit")
            assert "Key points: 2 of 9 covered, suggesting Again" in reveal
            term.press(b"q")
        seen = term.expect("This question was not rated, so it is not saved.")
        assert re.search(r"(^|\n)This question", seen), seen  # on a line of its own
        term.expect("Session stopped: 0 ratings saved.")
    finally:
        status = term.close()
    assert status == 0
    assert "cgroupsThis" not in term.text


def test_a_notice_the_moment_time_is_up_keeps_what_is_typed(page: Path, store: Path) -> None:
    term = Terminal(page, store, "--new", "1", "--time", "2")
    try:
        term.expect("You have 2 s.")
        term.press(b"namespaces and")  # half a line typed when the time runs out
        term.expect("Time is up (2 s): finish when ready; the overtime is noted.", timeout=10)
        term.press(b" cgroups\r")
        term.expect(" s over)")
        term.press(b"\r")
        reveal = term.expect("[m] more [q] quit")
        assert "Key points: 2 of 9 covered" in reveal  # the whole line counted
        assert re.search(r"^Time: \d+ s of 2: \d+ s overtime$", reveal, re.M), reveal
        term.press(b"q")
        term.expect("Session stopped: 0 ratings saved.")
    finally:
        status = term.close()
    assert status == 0
    # the notice opens a line above the one being typed and goes back to it
    assert b"\x1b7\x1b[1L\r" in term.raw and b"\x1b8\x1b[1B" in term.raw


# --- learning steps, timer, stats, damaged rows -----------------------------------------------


def test_again_and_hard_come_back_in_the_session(page: Path, store: Path) -> None:
    # --limit counts questions: one question, its question card rated Again and its first
    # follow-up Hard; both come back before the session ends, soonest due first
    result = drill(page, store, "--new", "3", "--limit", "1", input=script(1, 2, 3, 3, 3, 3, 4))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert asked(result.stdout) == [VM]
    assert "1 question: 0 due, 1 new." in result.stdout
    assert result.stdout.count(f"━━ again · {VM} · basic") == 2
    again = result.stdout.split("━━ again")
    assert "--- Question ---" in again[1] and "--- Follow-up 1 of 4 ---" in again[2]
    assert "Session over: 7 ratings saved." in result.stdout
    assert [(s, r) for _, s, r in reviews(store)] == [
        (0, 1),
        *((s, r) for s, r in zip(slots(page, VM), (2, 3, 3, 3), strict=True)),
        (0, 3),
        (slots(page, VM)[0], 4),
    ]
    assert cards(store)[(VM, 0)] == fsrs_due((Rating.Again, T0), (Rating.Good, T0))


def test_time_is_shown_and_stored(page: Path, store: Path) -> None:
    proc = subprocess.Popen(
        _args(page, store, T0, "--new", "1", "--limit", "1", "--time", "1"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    assert proc.stdin is not None and proc.stdout is not None
    out = ""
    while "You have 1 s." not in out:  # the prompt is out: the time runs
        line = proc.stdout.readline()
        assert line, out
        out += line
    time.sleep(2.5)  # past the one second allowed
    rest, err = proc.communicate("the kernel is shared\n\n3\n", timeout=120)
    out += rest
    assert re.search(r"^Time: \d+ s of 1: \d+ s overtime$", out, re.M), out
    assert err == "dockerqa: end of input; 1 rating saved\n"
    with sqlite3.connect(store) as db:
        (taken,) = db.execute("SELECT seconds FROM reviews").fetchone()
    assert 1.5 < taken < 120


V1_SCHEMA = [
    "CREATE TABLE cards (page TEXT NOT NULL, question TEXT NOT NULL, slot INTEGER NOT NULL, "
    "due TEXT NOT NULL, card TEXT NOT NULL, PRIMARY KEY (page, question, slot))",
    "CREATE TABLE reviews (id INTEGER PRIMARY KEY, page TEXT NOT NULL, question TEXT NOT NULL, "
    "slot INTEGER NOT NULL, rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4), "
    "reviewed TEXT NOT NULL, state INTEGER NOT NULL, due TEXT NOT NULL)",
    "CREATE INDEX reviews_by_card ON reviews (page, question, slot)",
    "PRAGMA user_version = 1",
]


def _old_store(store: Path, page: Path) -> None:
    """A store as the last release wrote it, with VM's question rated Good at T0."""
    key = dockerqa.load(page).metadata.key
    card, _ = Scheduler(enable_fuzzing=False).review_card(
        Card(card_id=CARD_IDS_BY_SLOT[(key, VM, 0)], due=T0), Rating.Good, T0
    )
    with sqlite3.connect(store) as db:
        for statement in V1_SCHEMA:
            db.execute(statement)
        db.execute(
            "INSERT INTO cards VALUES (?, ?, 0, ?, ?)",
            (key, VM, card.due.isoformat(), json.dumps(card.to_dict())),
        )
        db.execute(
            "INSERT INTO reviews (page, question, slot, rating, reviewed, state, due) "
            "VALUES (?, ?, 0, 3, ?, 0, ?)",
            (key, VM, T0.isoformat(), card.due.isoformat()),
        )
    db.close()


def test_an_older_store_is_upgraded_in_place(page: Path, store: Path) -> None:
    _old_store(store, page)
    later = T0 + timedelta(days=1)
    result = drill(page, store, "--new", "0", "--limit", "1", now=later, input=script(3))
    assert result.returncode == 0, result.stderr
    assert asked(result.stdout) == [VM]
    with sqlite3.connect(store) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (2,)
        rows = db.execute("SELECT rating, reviewed, seconds FROM reviews ORDER BY id").fetchall()
    db.close()
    assert rows[0] == (3, T0.isoformat(), None)  # the old review kept, its time unknown
    assert rows[1][0] == 3 and rows[1][2] is not None
    assert cards(store)[(VM, 0)] == fsrs_due((Rating.Good, T0), (Rating.Good, later))


def test_stats_explain_retention_and_show_the_week_ahead(page: Path, store: Path) -> None:
    assert drill(page, store, "--new", "2", input=script(4, 4, 4, 4, 4, 1)).returncode == 0
    result = drill(page, store, "--stats", now=T0 + timedelta(hours=1))
    assert result.returncode == 0, result.stderr
    assert "no due reviews yet" in result.stdout
    assert "—" not in result.stdout
    due = cards(store).values()
    days = [T0.date() + timedelta(days=n) for n in range(7)]
    per_day = [sum(max(d.date(), days[0]) == day for d in due) for day in days]
    assert per_day[0] == 1  # ARCH's question card, rated Again
    assert sum(per_day) < len(due) or per_day[1:] != [0] * 6  # the Easy ones: later on
    line = "Week ahead (cards due): " + "  ".join(
        f"{day:%a %d} {n}" for day, n in zip(days, per_day, strict=True)
    )
    assert line in result.stdout.splitlines()


@pytest.mark.parametrize("columns", [40, 66, 80])
def test_stats_are_readable_in_a_narrow_terminal(page: Path, store: Path, columns: int) -> None:
    assert drill(page, store, "--new", "2", input=script(4, 4, 4, 4, 4, 1)).returncode == 0
    term = Terminal(page, store, "--stats", now=T0 + timedelta(hours=1), columns=columns)
    assert term.finish() == 0
    lines = term.text.splitlines()
    assert "…" not in term.text
    assert max(map(len, lines)) <= columns, term.text
    # every name whole on its line, retention never broken up, a day beside its count
    names = {q.section for q in dockerqa.load(page)} | {"basic", "intermediate", "advanced"}
    for name in names:
        assert any(re.search(rf"(^|[ │]){re.escape(name)}( |$)", line) for line in lines), name
    assert sum("no due reviews yet" in line for line in lines) >= 10, term.text
    week = [T0.date() + timedelta(days=n) for n in range(7)]
    for day in week:
        assert any(re.search(rf"{day:%a %d} \d", line) for line in lines), (day, term.text)
    if columns >= 80:  # room for the tables
        assert sum("retention 30d" in line for line in lines) == 3, term.text


@pytest.mark.parametrize(
    ("columns", "form"), [(40, "list"), (66, "list"), (80, "no outer edge"), (100, "boxed")]
)
def test_stats_tables_share_one_form(page: Path, store: Path, columns: int, form: str) -> None:
    # the section, level and "In all" tables: all boxed, all without the outer edge, or all
    # as lists, whichever fits every one of them
    term = Terminal(page, store, "--stats", columns=columns)
    assert term.finish() == 0
    lines = [line.rstrip() for line in term.text.splitlines()]
    forms = []
    for title in ("By section", "By level", "In all"):
        below = lines[lines.index(title) + 1]
        forms.append(
            "boxed" if below.startswith("┏") else "no outer edge" if "┃" in below else "list"
        )
    assert forms == [form] * 3, term.text
    assert max(map(len, lines)) <= columns, term.text


DAMAGED = {
    "card JSON that is not JSON": ("UPDATE cards SET card = 'not json{'", "its state is not JSON"),
    "card JSON {}": ("UPDATE cards SET card = '{}'", "its state has no 'card_id'"),
    "card JSON a list": (
        "UPDATE cards SET card = '[1, 2]'",
        "its state is a JSON list, not an object",
    ),
    "state 9": (
        "UPDATE cards SET card = json_set(card, '$.state', 9)",
        "its state has a bad value (9 is not a valid State)",
    ),
    "due not a date": (
        "UPDATE cards SET card = json_set(card, '$.due', 'soon')",
        "its state has a bad value (Invalid isoformat string: 'soon')",
    ),
    "reviewed not a date": ("UPDATE reviews SET reviewed = 'yesterday'", "its date is 'yesterday'"),
    "review state 9": ("UPDATE reviews SET state = 9", "its state is 9"),
}


@pytest.mark.parametrize("case", DAMAGED)
def test_a_damaged_row_is_one_line_and_the_rest_works(page: Path, store: Path, case: str) -> None:
    assert drill(page, store, "--new", "2", input=script(*[3] * 9)).returncode == 0
    statement, why = DAMAGED[case]
    with sqlite3.connect(store) as db:
        changed = db.execute(statement + " WHERE question = ? AND slot = 0", (VM,)).rowcount
    db.close()
    assert changed == 1
    review = ", review 1," if statement.startswith("UPDATE reviews") else ""
    warning = f"dockerqa: warning: {store}: card {VM}{review} is damaged ({why}); left out\n"
    stats = drill(page, store, "--stats")
    assert stats.returncode == 0
    assert stats.stderr == warning
    assert "88 │" in stats.stdout
    later = T0 + timedelta(days=1)
    session = drill(page, store, "--new", "0", now=later, input=script(*[3] * 9))
    assert session.returncode == 0
    # once (a session reads no review log); a damaged card starts again as a new one
    assert session.stderr == ("" if review else warning)
    assert asked(session.stdout) == [VM, ARCH]
    assert "Session over: 9 ratings saved." in session.stdout


@pytest.mark.parametrize("version", [1, 2])
def test_a_read_only_store_is_read_for_stats(page: Path, store: Path, version: int) -> None:
    if version == 1:  # as the last release left it: read as it is, not upgraded
        _old_store(store, page)
    else:
        assert drill(page, store, "--new", "1", input=script(3, 3, 3, 3, 3)).returncode == 0
        with sqlite3.connect(store) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
    before = store.read_bytes()
    store.chmod(0o444)
    store.parent.chmod(0o555)
    root = os.access(store, os.W_OK)  # root may write anything but an immutable file
    if root and subprocess.run(["chattr", "+i", store, store.parent]).returncode:
        store.parent.chmod(0o755)
        pytest.skip("run as root on a file system without immutable files")
    try:
        assert not os.access(store, os.W_OK)
        stats = drill(page, store, "--stats")
        assert stats.returncode == 0, stats.stderr
        assert stats.stderr == ""
        reviews = 5 if version == 2 else 1
        row = rf"│ all\s+│\s+88 │\s+87 │\s+1 │\s+{reviews} │"
        assert re.search(row, stats.stdout), stats.stdout
        session = drill(page, store, input=script(3))
        assert session.returncode == 1
        assert session.stderr == (
            f"dockerqa: error: {store}: read-only, so ratings cannot be saved "
            "(--stats can read it)\n"
        )
    finally:
        if root:
            subprocess.run(["chattr", "-i", store, store.parent], check=True)
        store.parent.chmod(0o755)
        store.chmod(0o644)
    assert store.read_bytes() == before


def test_mermaid_shows_as_labelled_source(page: Path, store: Path) -> None:
    result = drill(page, store, "--new", "2", "--limit", "2", input="\n4\n" * 5 + "\nm\n")
    assert f"━━ 2/2 · {ARCH}" in result.stdout
    assert "*Diagram (Mermaid source):*\n\n```text\ngraph TD\n" in result.stdout
    assert "```mermaid" not in result.stdout


def test_a_card_due_during_the_session_comes_back_when_due(page: Path, tmp_path: Path) -> None:
    """With a clock that moves (five minutes a rating), a card rated Again comes back after the
    question in progress, not only at the end."""
    from io import StringIO

    from dockerqa._interview import Screen, interview

    class Moving(dockerqa.Drill):
        moment = T0

        def clock(self) -> datetime:
            return self.moment

        def rate(self, *args: object, **kwargs: object) -> Card:
            card = super().rate(*args, **kwargs)  # type: ignore[arg-type]
            self.moment += timedelta(minutes=5)
            return card

    with dockerqa.Store(tmp_path / "s.sqlite3") as store:
        session = Moving.open(page, store, now=None)
        turns = session.plan(new=2)
        out = StringIO()
        # VM: the question Again, its four follow-ups Good; it is due again by then
        answers = StringIO(script(1, 3, 3, 3, 3, 3, *[3] * 4))
        outcome = interview(session, turns, Screen(answers, out))
    text = out.getvalue()
    assert outcome.ratings == 10
    headers = re.findall(r"^━━ (\S+)", text, re.M)
    assert headers == ["1/2", "again", "2/2"]


def test_hard_says_a_time_and_a_wait_that_agree(page: Path, store: Path) -> None:
    # Hard on a new card: 5.5 minutes; the clock time shown is the wait shown, rounded alike
    result = drill(page, store, "--new", "1", "--limit", "1", input=script(2) + "q\n")
    assert result.returncode == 0, result.stderr
    due = cards(store)[(VM, 0)]
    assert due == T0 + timedelta(minutes=5, seconds=30)
    assert "Hard: next 2026-03-01 09:06 (in 6 minutes)" in result.stdout


def test_what_a_strong_answer_holds_is_the_answer_not_talk_about_the_interview(
    page: Path, store: Path
) -> None:
    result = drill(page, store, "--new", "1", input="namespaces and cgroups\n\nm\nq\n")
    assert result.returncode == 0, result.stderr
    holds = result.stdout.split("--- A strong answer holds ---\n", 1)[1]
    assert holds.startswith("| Feature"), holds[:200]  # the answer's table, first
    # the talk is not lost: it follows the answer, under the cards' label for what folds
    talk = "This is one of the most fundamental questions in Docker interviews"
    assert f"--- Rest of the answer ---\n{talk}" in holds, holds


def test_no_reveal_labels_talk_as_what_a_strong_answer_holds(
    corpus: dockerqa.Library, tmp_path: Path
) -> None:
    # every answer of the corpus that opens with talk (`study.is_meta_talk`), lead or not
    from dockerqa.drill import Drill, Item
    from dockerqa.study import _blocks, is_meta_talk, split_talk

    opening = [q for q in corpus if q.answer and is_meta_talk(_blocks(q.answer)[0])]
    assert len(opening) == 6, [q.id for q in opening]
    with Store(tmp_path / "s.sqlite3") as store:
        drill = Drill(corpus, store, now=T0)
        for q in opening:
            prompt = drill.ask(Item(q, 0))
            facts, talk = split_talk(q.answer)
            held = [text for label, text in prompt.more if label == "A strong answer holds"]
            shown = held[0] if held else prompt.core  # with `m`, or in the reveal
            assert shown and not is_meta_talk(_blocks(shown)[0]), (q.id, shown[:120])
            assert facts.startswith(shown[:200]), q.id
            rest = dict(prompt.more).get("Rest of the answer", "")
            assert talk and talk in rest, (q.id, rest[:200])
