"""``dockerqa drill``: a mock interview scheduled by FSRS, driven through the real command with
scripted input and a fixed clock, on copies of the corpus and a store in a temporary folder."""

from __future__ import annotations

import os
import re
import select
import shutil
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
from conftest import ROOT
from dockerqa.drill import Store, _card_id
from dockerqa.lock import read_lock

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
DOCKERQA = str(Path(sys.executable).with_name("dockerqa"))
ENV = {**os.environ, "TZ": "UTC"}
VM = "fundamentals/vm-vs-container"
ARCH = "fundamentals/docker-architecture-components"
LAYERS = "fundamentals/image-layers-union-file-system"


@pytest.fixture
def page(tmp_path: Path) -> Path:
    """A copy of the corpus page with its metadata and lock (the lock changes beside it)."""
    for suffix in (".mdx", ".toml", ".lock"):
        shutil.copyfile(ROOT / "corpus" / f"docker{suffix}", tmp_path / f"docker{suffix}")
    return tmp_path / "docker.mdx"


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
    # the first answer is typed (two lines) and the first reveal expanded with m
    typed = "namespaces and cgroups\nshared kernel\n\nm\n4\n"
    ratings = script(*[4] * 4, *[3] * 4, *[1] * 4)
    result = drill(page, store, "--new", "3", input=typed + ratings)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert asked(result.stdout) == [VM, ARCH, LAYERS]
    assert "3 questions: 0 due, 3 new." in result.stdout
    assert "> namespaces and cgroups\n> shared kernel\n" in result.stdout
    assert "--- Rest of the answer ---" in result.stdout  # m
    assert "--- Red flag answer ---" in result.stdout
    assert "--- What interviewers are really testing ---" in result.stdout
    assert "Session over: 13 ratings saved." in result.stdout

    expected = {
        (qid, slot): fsrs_due((rating, T0)) for qid, rating in chosen.items()
        for slot in [0, *slots(page, qid)]
    }  # fmt: skip
    assert len(expected) == 13
    assert cards(store) == expected
    # the dates the ratings give: Again 1 minute, Good 10 minutes, Easy some days on
    assert expected[(LAYERS, 0)] == T0 + timedelta(minutes=1)
    assert expected[(ARCH, 0)] == T0 + timedelta(minutes=10)
    assert expected[(VM, 0)] > T0 + timedelta(days=2)
    assert f"Easy: next {expected[(VM, 0)]:%Y-%m-%d %H:%M} (in " in result.stdout
    assert [r for _, _, r in reviews(store)] == [4] * 5 + [3] * 4 + [1] * 4

    # a day later exactly the due ones come back, most overdue first; no new ones
    later = T0 + timedelta(days=1)
    second = drill(page, store, "--new", "0", now=later, input=script(*[3] * 8))
    assert second.returncode == 0, second.stderr
    assert asked(second.stdout) == [LAYERS, ARCH]
    assert "2 questions: 2 due, 0 new." in second.stdout
    assert cards(store)[(LAYERS, 0)] == fsrs_due((Rating.Again, T0), (Rating.Good, later))
    assert cards(store)[(VM, 0)] == expected[(VM, 0)]  # not due: untouched
    assert len(reviews(store)) == 21

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
        while b"Follow-up 1 of 4 ---\n" not in seen or not seen.endswith(b"in your head):\n"):
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
    assert "Type 1, 2, 3 or 4 to rate, m for more, q to quit." in quit.stdout
    assert quit.stdout.endswith("Session stopped: 0 ratings saved.\n")
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
    assert rows["all"] == ["88", "85", "2", "13", "—"]
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
        assert store.cards(drill.key)[(first.question.id, 0)].card_id == _card_id(
            drill.key, first.question.id, 0
        )
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


def test_a_store_in_a_missing_folder_is_refused(page: Path, tmp_path: Path) -> None:
    store = tmp_path / "nodir" / "s.sqlite3"
    result = drill(page, store, "--stats")
    assert result.returncode == 1
    assert result.stderr == (
        f"dockerqa: error: {store}: no such directory {store.parent}; create it first\n"
    )
    assert not store.parent.exists()
