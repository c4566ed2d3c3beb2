"""The lock file: ids that survive renames, change times, retirement, stale-lock checks."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dockerqa
from conftest import FIXTURES, ROOT, run_cli
from dockerqa import LockError
from dockerqa.identity import (
    RENAME_SIMILARITY,
    apply_renames,
    build_lock,
    check,
    similarity,
    sketch,
)
from dockerqa.lock import Lock, parse_lock, read_lock, retired_questions
from dockerqa.pipeline import refresh

STORY = FIXTURES / "anki"
T0 = 1_700_000_000


def _page(path: Path, version: str) -> Path:
    """Put release ``version`` of the story page at ``path`` (with its metadata beside it)."""
    shutil.copyfile(STORY / f"story_{version}.mdx", path)
    shutil.copyfile(STORY / "story.toml", path.with_suffix(".toml"))
    return path


@pytest.fixture
def page(tmp_path: Path) -> Path:
    return _page(tmp_path / "deck.mdx", "v1")


def test_first_lock_honours_source_date_epoch(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1234567890")
    lock = refresh(dockerqa.load(page), page.with_suffix(".lock"))
    assert {e.changed for e in lock.questions} == {1234567890}
    assert lock.key is not None and lock.key.startswith("deck-")  # minted with the first lock
    assert read_lock(page.with_suffix(".lock")).same_as(lock)


def test_first_lock_without_source_date_epoch_uses_the_clock(
    page: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = int(time.time())
    lock = refresh(dockerqa.load(page), page.with_suffix(".lock"))
    assert all(before <= e.changed <= int(time.time()) for e in lock.questions)


def test_bad_source_date_epoch_is_a_clear_error(
    page: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(LockError, match="SOURCE_DATE_EPOCH must be whole seconds"):
        refresh(dockerqa.load(page), page.with_suffix(".lock"))


def test_lock_records_what_the_issue_asks(page: Path) -> None:
    lib = dockerqa.load(page)
    lock = refresh(lib, page.with_suffix(".lock"), now=T0)
    assert [e.id for e in lock.questions] == sorted(q.id for q in lib)
    assert [s.id for s in lock.sections] == ["basics", "scenarios"]
    entry = lock.entry("basics/image-vs-container")
    assert entry is not None
    assert entry.title == "Image vs Container" and entry.section == "basics"
    assert len(entry.content) == 16 and len(entry.title_hash) == 16
    assert entry.changed == T0 and entry.retired is None and entry.alias is None
    assert len(entry.sketch.split()) == 32
    # the snapshot rebuilds the question (apart from numbering and position)
    q = lib.get("basics/image-vs-container")
    rebuilt = entry.question(q.source.file)
    assert rebuilt.model_dump(exclude={"number", "heading", "source"}) == q.model_dump(
        exclude={"number", "heading", "source"}
    )


def test_lock_text_is_canonical_and_stable(page: Path) -> None:
    path = page.with_suffix(".lock")
    refresh(dockerqa.load(page), path, now=T0)
    first = path.read_bytes()
    data = json.loads(first)
    assert list(data) == sorted(data)
    assert [q["id"] for q in data["questions"]] == sorted(q["id"] for q in data["questions"])
    assert first.endswith(b"}\n") and b"\r" not in first
    # refreshing an unchanged source later changes nothing, not even the file's mtime
    mtime = path.stat().st_mtime_ns
    again = refresh(dockerqa.load(page), path, now=T0 + 500)
    assert path.read_bytes() == first and path.stat().st_mtime_ns == mtime
    assert again.changes.describe() == "" and "no change" in again.summary()
    # a second computation in memory gives the same text
    assert build_lock(dockerqa.load(page), now=T0).dumps().encode() == first
    assert not list(page.parent.glob(".*.tmp"))


def test_renumbering_changes_nothing(page: Path) -> None:
    path = page.with_suffix(".lock")
    refresh(dockerqa.load(page), path, now=T0)
    before = path.read_bytes()
    text = page.read_text(encoding="utf-8").replace('title="2. Exposing', 'title="7. Exposing')
    text = text.replace("# Story Deck\n", "# Story Deck\n\n\n")  # later lines shift
    page.write_text(text, encoding="utf-8")
    lock = refresh(dockerqa.load(page), path, now=T0 + 100)
    assert path.read_bytes() == before and lock.changes.describe() == ""


def test_the_update_story(page: Path) -> None:
    path = page.with_suffix(".lock")
    v1 = refresh(dockerqa.load(page), path, now=T0)
    _page(page, "v2")
    v2 = refresh(dockerqa.load(page), path, now=T0 + 1000)
    c = v2.changes
    assert c.changed == ("basics/exposing-ports",)
    assert c.added == ("basics/health-checks",)
    assert c.renamed == (
        ("basics/persisting-data-between-containers", "basics/volumes-and-bind-mounts"),
    )
    assert c.retired == ("basics/docker-swarm-basics",)
    assert v2.summary() == (
        "5 questions, 1 retired; 1 question changed, 1 added, 1 renamed, 1 retired"
    )

    def changed(lock: Lock, qid: str) -> int:
        entry = lock.entry(qid)
        assert entry is not None
        return entry.mod

    assert changed(v2, "basics/image-vs-container") == T0  # untouched
    assert changed(v2, "scenarios/the-restart-loop") == T0
    assert changed(v2, "basics/exposing-ports") == T0 + 1000
    assert changed(v2, "basics/volumes-and-bind-mounts") == T0 + 1000  # renamed: title changed
    assert changed(v2, "basics/health-checks") == T0 + 1000
    retired = v2.entry("basics/docker-swarm-basics")
    assert retired is not None and retired.retired == T0 + 1000 and retired.changed == T0
    # the renamed question keeps its id: the lock is the one owner of renames (load never
    # reads it), and apply_renames maps a loaded library
    assert read_lock(path).renames() == {
        "basics/persisting-data-between-containers": "basics/volumes-and-bind-mounts"
    }
    assert "basics/persisting-data-between-containers" in {q.id for q in dockerqa.load(page)}
    lib = apply_renames(dockerqa.load(page), v2)
    kept = lib.get("basics/volumes-and-bind-mounts")
    assert kept.title == "Persisting Data Between Containers"
    assert "basics/persisting-data-between-containers" not in {q.id for q in lib}
    raw = dockerqa.load(_page(page.parent / "elsewhere.mdx", "v2"))  # no lock beside it
    assert "basics/persisting-data-between-containers" in {q.id for q in raw}
    assert apply_renames(raw, v2).get("basics/volumes-and-bind-mounts").title == kept.title
    assert apply_renames(lib, v2) is lib
    # the retired question can still be exported
    (old,) = retired_questions(v2)
    assert old.id == "basics/docker-swarm-basics" and "Swarm" in (old.answer or "")
    # with the renames applied, the next refresh sees no change
    again = refresh(lib, path, now=T0 + 2000)
    assert again.same_as(v2) and again.changes.describe() == ""
    assert v1.entry("basics/volumes-and-bind-mounts") is not None


def test_change_time_never_goes_backwards(page: Path) -> None:
    path = page.with_suffix(".lock")
    refresh(dockerqa.load(page), path, now=T0)
    _page(page, "v2")
    lock = refresh(dockerqa.load(page), path, now=T0 - 5000)  # a clock behind the lock
    entry = lock.entry("basics/exposing-ports")
    assert entry is not None and entry.changed == T0 + 1
    assert lock.entry("basics/health-checks") is not None


def test_a_retired_question_can_come_back(page: Path) -> None:
    path = page.with_suffix(".lock")
    refresh(dockerqa.load(page), path, now=T0)
    _page(page, "v2")
    refresh(dockerqa.load(page), path, now=T0 + 1000)
    _page(page, "v1")
    lock = refresh(dockerqa.load(page), path, now=T0 + 2000)
    assert lock.changes.revived == ("basics/docker-swarm-basics",)
    entry = lock.entry("basics/docker-swarm-basics")
    assert entry is not None and entry.retired is None and entry.changed == T0 + 2000
    assert lock.changes.retired == ("basics/health-checks",)
    # the title went back: the question is found under its kept id without any alias
    assert read_lock(path).renames() == {}
    assert dockerqa.load(page).get("basics/volumes-and-bind-mounts").title == (
        "Volumes and Bind Mounts"
    )


def test_a_moved_question_keeps_its_id(page: Path) -> None:
    path = page.with_suffix(".lock")
    refresh(dockerqa.load(page), path, now=T0)
    text = page.read_text(encoding="utf-8")
    start = text.index('  <Accordion title="4. Docker Swarm Basics">')
    end = text.index("</Accordion>", start) + len("</Accordion>\n")
    block = text[start:end].replace("4. Docker Swarm Basics", "Scenario 2: Docker Swarm Basics")
    text = text[:start] + text[end:]
    text = text.rstrip("\n").removesuffix("</AccordionGroup>") + block + "</AccordionGroup>\n"
    page.write_text(text, encoding="utf-8")
    lock = refresh(dockerqa.load(page), path, now=T0 + 10)
    assert lock.changes.renamed == (
        ("scenarios/docker-swarm-basics", "basics/docker-swarm-basics"),
    )
    moved = apply_renames(dockerqa.load(page), lock).get("basics/docker-swarm-basics")
    assert moved.section == "scenarios" and moved.kind == "scenario"


def test_a_new_body_is_not_a_rename(page: Path) -> None:
    path = page.with_suffix(".lock")
    refresh(dockerqa.load(page), path, now=T0)
    text = page.read_text(encoding="utf-8")
    text = text.replace("4. Docker Swarm Basics", "4. Docker Contexts").replace(
        "Swarm turns several Docker hosts into one cluster with services, replicas and rolling "
        "updates; most teams now choose Kubernetes instead.",
        "A context names a Docker endpoint, so one CLI can talk to a laptop, a build server "
        "and a remote host over SSH without juggling environment variables.",
    )
    page.write_text(text, encoding="utf-8")
    lock = refresh(dockerqa.load(page), path, now=T0 + 10)
    assert lock.changes.renamed == ()
    assert lock.changes.added == ("basics/docker-contexts",)
    assert lock.changes.retired == ("basics/docker-swarm-basics",)


def test_sketch_similarity() -> None:
    text = " ".join(f"word{i}" for i in range(200))
    assert similarity(sketch(text), sketch(text)) == 1.0
    other = " ".join(f"other{i}" for i in range(200))
    assert similarity(sketch(text), sketch(other)) == 0.0
    assert similarity(sketch(""), sketch(text)) == 0.0
    edited = text.replace("word100", "changed")  # three shingles of ~200 differ
    assert similarity(sketch(text), sketch(edited)) >= RENAME_SIMILARITY
    assert sketch("Short") and similarity(sketch("Short"), sketch("short")) == 1.0


def test_locked_fails_on_a_stale_lock_and_writes_nothing(page: Path) -> None:
    path = page.with_suffix(".lock")
    refresh(dockerqa.load(page), path, now=T0)
    before = path.read_bytes()
    _page(page, "v2")
    with pytest.raises(LockError) as err:
        refresh(dockerqa.load(page), path, now=T0 + 1000, locked=True)
    message = str(err.value)
    assert message.startswith(f"{path} is out of date: 1 question changed, 1 added, 1 renamed")
    assert message.endswith(f"run `dockerqa lock --source {page}`")
    assert path.read_bytes() == before
    assert not list(page.parent.glob(".*.tmp"))


def test_locked_passes_on_an_up_to_date_lock(page: Path) -> None:
    path = page.with_suffix(".lock")
    written = refresh(dockerqa.load(page), path, now=T0)
    checked = refresh(dockerqa.load(page), path, now=T0 + 99, locked=True)
    assert checked.same_as(written)


def test_locked_without_a_lock_file(page: Path) -> None:
    with pytest.raises(LockError, match=r"deck\.lock does not exist; run `dockerqa lock"):
        refresh(dockerqa.load(page), page.with_suffix(".lock"), locked=True)
    assert not page.with_suffix(".lock").exists()


def test_exporter_state_is_carried_over_and_never_read(page: Path) -> None:
    path = page.with_suffix(".lock")
    refresh(dockerqa.load(page), path, now=T0)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["exporters"] = {"someone": {"anything": [1, 2]}}
    path.write_text(json.dumps(data), encoding="utf-8")
    lock = refresh(dockerqa.load(page), path, now=T0 + 1)
    assert lock.exporter_state("someone") == {"anything": [1, 2]}
    assert lock.changes.describe() == ""


def test_a_format_1_lock_is_upgraded_without_changing_times(tmp_path: Path) -> None:
    page = tmp_path / "docker.mdx"
    shutil.copyfile(ROOT / "corpus" / "docker.mdx", page)
    shutil.copyfile(ROOT / "corpus" / "docker.toml", page.with_suffix(".toml"))
    shutil.copyfile(FIXTURES / "lock" / "docker-format-1.lock", page.with_suffix(".lock"))
    old = read_lock(page.with_suffix(".lock"))
    assert old.version == 1 and old.exporter_state("anki") is not None
    lock = refresh(dockerqa.load(page), page.with_suffix(".lock"), now=T0)
    assert lock.changes.describe() == "upgraded to lock format 2"
    assert lock.version == 2
    assert {e.id: e.changed for e in lock.questions} == {e.id: e.changed for e in old.questions}


def test_hand_formatted_lock_is_kept_until_what_it_records_changes(page: Path) -> None:
    path = page.with_suffix(".lock")
    refresh(dockerqa.load(page), path, now=T0)
    canonical = path.read_text(encoding="utf-8")
    compact = json.dumps(json.loads(canonical))
    path.write_text(compact, encoding="utf-8")
    refresh(dockerqa.load(page), path, now=T0 + 5, locked=True)  # same record: fine
    kept = refresh(dockerqa.load(page), path, now=T0 + 5)  # same record: nothing to write
    assert path.read_text(encoding="utf-8") == compact and not kept.changes.written
    _page(page, "v2")
    lock = refresh(dockerqa.load(page), path, now=T0 + 5)  # a change: written canonically
    assert path.read_text(encoding="utf-8") == lock.dumps() != compact
    assert lock.changes.written


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda t: t.replace('"questions": [', '"questions": [,', 1), r":\d+: not valid JSON"),
        (lambda t: t.replace('"version": 2', '"version": 9'), r"unsupported lock version 9"),
        (lambda t: "[]", r":1: a lock file holds one JSON object"),
        (
            lambda t: t.replace('"changed": 1700000000', '"changed": "soon"', 3),
            r"changed: Input should be a valid integer",
        ),
        (
            lambda t: t.replace('"title_hash"', '"title_hsh"', 1),
            r"questions\.0\.title_hash: Field required",
        ),
    ],
    ids=["json", "version", "not-an-object", "bad-time", "unknown-key"],
)
def test_bad_lock_file_names_file_and_line(page: Path, mutate: object, message: str) -> None:
    path = page.with_suffix(".lock")
    refresh(dockerqa.load(page), path, now=T0)
    path.write_text(mutate(path.read_text(encoding="utf-8")), encoding="utf-8")  # type: ignore[operator]
    with pytest.raises(LockError, match=message) as err:
        read_lock(path)
    assert str(err.value).startswith(f"{path}:")
    assert len(dockerqa.load(page)) == 5  # reading the page never touches the lock
    with pytest.raises(LockError):
        dockerqa.export(page, "anki", page.with_suffix(".apkg"), now=T0)
    assert not page.with_suffix(".apkg").exists()


def test_bad_entry_points_at_its_line(page: Path) -> None:
    path = page.with_suffix(".lock")
    refresh(dockerqa.load(page), path, now=T0)
    text = path.read_text(encoding="utf-8")
    target = '"id": "basics/exposing-ports"'
    block = text.rindex("{", 0, text.index(target))  # keys are sorted: "changed" comes first
    line = text[: text.index('"changed": ', block)].count("\n") + 1  # the damaged value's line
    bad = text[block:].replace('"changed": 1700000000', '"changed": "x"', 1)
    path.write_text(text[:block] + bad, encoding="utf-8")
    with pytest.raises(LockError) as err:
        read_lock(path)
    assert str(err.value).startswith(f"{path}:{line}: questions.1.changed: ")


def test_check_rejects_a_lock_that_does_not_match(page: Path) -> None:
    lock = build_lock(dockerqa.load(page), now=T0)
    _page(page, "v2")
    with pytest.raises(LockError, match=r"does not match the library: .*exposing-ports"):
        check(dockerqa.load(page), lock)


def test_bundled_corpus_lock(corpus: dockerqa.Library) -> None:
    lock = build_lock(corpus, now=T0)
    assert len(lock.active) == 88 and not lock.retired
    assert len(lock.sections) == len(corpus.sections)
    assert lock.section_position("fundamentals") == 1
    check(corpus, lock)
    assert build_lock(corpus, now=T0).dumps() == lock.dumps()


def _damage_snapshot(key: str) -> object:
    def mutate(data: dict[str, object]) -> None:
        data["questions"][0]["snapshot"][key] = "x"  # type: ignore[index]

    return mutate


def _set_time(where: str, value: int) -> object:
    def mutate(data: dict[str, object]) -> None:
        data["questions"][0][where] = value  # type: ignore[index]

    return mutate


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (_damage_snapshot("id"), r"questions\.0\.snapshot: .*'id'"),
        (_damage_snapshot("source"), r"questions\.0\.snapshot: .*'source'"),
        (_set_time("changed", 10**17), r"questions\.0\.changed: .*253402300799"),
        (_set_time("retired", 10**17), r"questions\.0\.retired: .*253402300799"),
        (_set_time("changed", -1), r"questions\.0\.changed: .*from 0 to"),
        (lambda data: "[" * 100_000 + "]" * 100_000, r":1: nested too deeply"),
        (lambda data: '{"version": 1' + "1" * 5000 + "}", r":1: not valid JSON: .*digits"),
    ],
    ids=[
        "snapshot-id",
        "snapshot-source",
        "changed-1e17",
        "retired-1e17",
        "negative-time",
        "deep-array",
        "huge-number",
    ],
)
def test_a_damaged_lock_is_one_error_that_says_how_to_rebuild_it(
    page: Path, mutate: object, message: str
) -> None:
    path = page.with_suffix(".lock")
    refresh(dockerqa.load(page), path, now=T0)
    data = json.loads(path.read_text(encoding="utf-8"))
    changed = mutate(data)  # type: ignore[operator]
    path.write_text(changed if isinstance(changed, str) else json.dumps(data), encoding="utf-8")
    with pytest.raises(LockError, match=message) as err:
        read_lock(path)
    text = str(err.value)
    assert text.startswith(f"{path}:") and "\n" not in text
    assert text.endswith(
        f"run `dockerqa lock --source {page}` to rebuild it (deck.toml names no key, so a "
        "rebuilt lock may mint a new one: new notes, reviews left behind)"
    )


def test_a_damaged_lock_of_a_page_without_metadata_names_no_file_that_is_not_there(
    page: Path,
) -> None:
    path = page.with_suffix(".lock")
    refresh(dockerqa.load(page), path, now=T0)
    page.with_suffix(".toml").unlink()
    path.write_text("{", encoding="utf-8")
    with pytest.raises(LockError) as err:
        read_lock(path)
    assert str(err.value).endswith(
        "(no deck.toml names a key, so a rebuilt lock may mint a new one: new notes, reviews "
        "left behind)"
    )


def test_a_damaged_exporter_state_is_one_error_naming_the_lock(page: Path, tmp_path: Path) -> None:
    path = page.with_suffix(".lock")
    dockerqa.export(page, "anki", tmp_path / "d.apkg", now=T0)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["exporters"]["anki"]["note_types"]["changed"] = 10**17
    path.write_text(json.dumps(data), encoding="utf-8")
    before = path.read_bytes()
    result = run_cli("export", "anki", "--source", str(page), "--out", str(tmp_path / "e.apkg"))
    assert result.returncode == 1
    assert result.stderr.startswith(f"dockerqa: error: {path}: exporters.anki.note_types.changed")
    assert "253402300799" in result.stderr and result.stderr.count("\n") == 1
    assert path.read_bytes() == before and not (tmp_path / "e.apkg").exists()


def test_a_damaged_time_fails_the_export_cleanly(page: Path, tmp_path: Path) -> None:
    path = page.with_suffix(".lock")
    refresh(dockerqa.load(page), path, now=T0)
    text = path.read_text(encoding="utf-8").replace('"changed": 1700000000', '"changed": 1e17', 1)
    path.write_text(text.replace("1e17", str(10**17)), encoding="utf-8")
    result = run_cli("export", "anki", "--source", str(page), "--out", str(tmp_path / "d.apkg"))
    assert result.returncode == 1
    assert (
        result.stderr.startswith(f"dockerqa: error: {path}:") and "Traceback" not in result.stderr
    )
    assert not (tmp_path / "d.apkg").exists()


@pytest.mark.parametrize("value", ["100000000000000000000", "-1", "253402300800", "1_000", "+5"])
def test_source_date_epoch_out_of_range_writes_nothing(
    page: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(LockError, match=r"^SOURCE_DATE_EPOCH must be whole seconds from 0 to "):
        refresh(dockerqa.load(page), page.with_suffix(".lock"))
    assert not page.with_suffix(".lock").exists()


def test_same_as_compares_every_record_but_not_the_last_changes(page: Path) -> None:
    lock = build_lock(dockerqa.load(page), now=T0)
    assert lock.changes.added  # a first lock: everything was added
    assert lock.same_as(lock.model_copy(update={"changes": type(lock.changes)()}))
    first, *rest = lock.questions
    renamed = first.model_copy(update={"alias": "basics/an-old-id"})
    assert not lock.same_as(lock.model_copy(update={"questions": (renamed, *rest)}))
    edited = first.model_copy(update={"snapshot": {**first.snapshot, "answer": "Other."}})
    assert not lock.same_as(lock.model_copy(update={"questions": (edited, *rest)}))
    assert not lock.same_as(lock.model_copy(update={"key": "other"}))


@pytest.mark.parametrize("format", ["anki", "csv"])
def test_an_export_says_it_created_the_lock_when_there_was_none(
    page: Path, tmp_path: Path, format: str
) -> None:
    """Not "updated": there was nothing to update (the lock command says "lock written")."""
    out = str(tmp_path / f"out.{format.replace('anki', 'apkg')}")
    first = run_cli("export", format, "--source", str(page), "--out", out, cwd=tmp_path)
    lines = first.stdout.splitlines()
    assert first.returncode == 0 and lines[0].startswith(f"created {page.with_suffix('.lock')}: ")
    assert "5 questions added" in lines[0] and "updated" not in first.stdout
    _page(page, "v2")
    again = run_cli("export", format, "--source", str(page), "--out", out, cwd=tmp_path)
    assert again.stdout.startswith(f"updated {page.with_suffix('.lock')}: ")


def test_the_lock_command_says_whether_it_wrote(page: Path) -> None:
    _page(page, "v1")
    lock = page.with_suffix(".lock")
    first = run_cli("lock", "--source", str(page))
    assert first.stdout.startswith("lock written: ")
    compact = json.dumps(json.loads(lock.read_text(encoding="utf-8")))
    lock.write_text(compact, encoding="utf-8")  # the same record, formatted by hand
    again = run_cli("lock", "--source", str(page))
    assert again.stdout == "lock up to date: 5 questions, 0 retired; no change\n"
    assert lock.read_text(encoding="utf-8") == compact
    _page(page, "v2")
    changed = run_cli("lock", "--source", str(page))
    assert (
        changed.stdout.splitlines()[-1].startswith("lock written: ")
        and lock.read_text(encoding="utf-8") != compact
    )


@pytest.mark.parametrize(
    ("key", "value", "field"),
    [
        ("level", "expert", "level"),
        ("kind", "riddle", "kind"),
        ("answer", 42, "answer"),
        ("follow_ups", "ask more", "follow_ups"),
        ("colour", "red", "colour"),
    ],
    ids=["level", "kind", "numeric-answer", "follow-ups-string", "unknown-key"],
)
def test_every_snapshot_value_is_checked_when_the_lock_is_read(
    page: Path, tmp_path: Path, key: str, value: object, field: str
) -> None:
    """An active question's snapshot too: the first command that reads the lock says which
    file, line and field, and nothing is written."""
    path = page.with_suffix(".lock")
    refresh(dockerqa.load(page), path, now=T0)
    data = json.loads(path.read_text(encoding="utf-8"))
    entry = data["questions"][0]  # basics/docker-swarm-basics, the one that leaves below
    assert entry["retired"] is None
    entry["snapshot"][key] = value
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    snapshot = text.index('"snapshot": {', text.index(f'"id": "{entry["id"]}"'))
    line = text[: text.index(f'"{key}": ', snapshot)].count("\n") + 1  # the field's own line
    with pytest.raises(LockError, match=rf"^{path}:{line}: questions\.0\.snapshot\.{field}: "):
        read_lock(path)
    checked = run_cli("lock", "--check", "--source", str(page))
    assert checked.returncode == 1 and checked.stdout == ""
    assert checked.stderr.startswith(f"dockerqa: error: {path}:{line}: questions.0.snapshot.")
    assert len(checked.stderr.splitlines()) == 1
    # the question leaves the page: the export fails before writing the lock or the deck
    text_page = page.read_text(encoding="utf-8")
    start = text_page.index('  <Accordion title="4. Docker Swarm Basics">')
    end = text_page.index("</Accordion>", start) + len("</Accordion>\n")
    page.write_text(text_page[:start] + text_page[end:], encoding="utf-8")
    before = path.read_bytes()
    exported = run_cli("export", "anki", "--source", str(page), "--out", str(tmp_path / "d.apkg"))
    assert exported.returncode == 1 and "Traceback" not in exported.stderr
    assert exported.stderr.startswith(f"dockerqa: error: {path}:{line}: ")
    assert path.read_bytes() == before and not (tmp_path / "d.apkg").exists()


# --- where a damaged lock is reported -------------------------------------------------------

#: The bundled lock as data: every damage below is made to a copy of it.
_CORPUS_LOCK = json.loads((ROOT / "corpus" / "docker.lock").read_text(encoding="utf-8"))


def _leaves(data: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Every path to a string or number in ``data`` (the fields a user can mistype)."""
    if isinstance(data, dict):
        return [p for key, value in data.items() for p in _leaves(value, (*path, key))]
    if isinstance(data, list):
        return [p for i, value in enumerate(data) for p in _leaves(value, (*path, i))]
    return [path] if isinstance(data, str | int) and not isinstance(data, bool) else []


def _damaged(path: tuple[object, ...], value: object) -> tuple[str, int]:
    """The corpus lock's text with the value at ``path`` replaced, and the line that holds it."""
    data = json.loads(json.dumps(_CORPUS_LOCK))
    *parents, last = path
    holder: Any = data
    for part in parents:
        holder = holder[part]
    holder[last] = "\x00marker"
    marked = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    line = marked[: marked.index('"\\u0000marker"')].count("\n") + 1
    holder[last] = value
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n", line


def _reported(text: str) -> str:
    with pytest.raises(LockError) as caught:
        parse_lock(text, "docker.lock")
    return str(caught.value)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("questions", 3, "id"), 5),  # not the first question's id
        (("questions", 3, "changed"), "yesterday"),  # not the exporters' "changed"
        (("questions", 0, "snapshot", "follow_ups", 1, "answer"), 7),  # a nested repeated key
        (("questions", 0, "follow_ups", 2), 9),  # an array item
        (("questions", 7, "snapshot", "level"), "expert"),
        (("key",), 5),
    ],
)
def test_a_damaged_value_is_reported_at_its_own_line(
    path: tuple[object, ...], value: object
) -> None:
    text, line = _damaged(path, value)
    where = ".".join(str(p) for p in path)
    assert _reported(text).startswith(f"docker.lock:{line}: {where}: ")


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_any_damaged_field_is_reported_at_the_line_that_holds_it(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(_leaves(_CORPUS_LOCK)))
    value = data.draw(st.sampled_from([5, "yesterday", [1], {"x": 1}, None]))
    text, line = _damaged(path, value)
    try:
        parse_lock(text, "docker.lock")
    except LockError as exc:
        head, where, _ = str(exc).split(": ", 2)
        # The field named is the damaged one (or a part of it, for a value of the wrong shape),
        # and the line given holds it.
        damaged = ".".join(str(p) for p in path)
        assert damaged.startswith(where) or where.startswith(damaged), str(exc)
        if where.startswith(damaged):
            assert head == f"docker.lock:{line}", str(exc)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{\n  "key": "dock', "not valid JSON: unterminated string starting at column 10"),
        ('{\n  "key": "x",\n}\n', r"not valid JSON: a comma before } \(column 13\)"),
        ('{\n  "key": "a\\qb"\n}\n', r"not valid JSON: invalid \\escape"),
        ('{"key": "x"}\n{}', r"not valid JSON: extra data \(column 1\)"),
        ("", r"not valid JSON: expecting value \(column 1\)"),
        ('{"key": "a\x01"}', "not valid JSON: invalid control character"),
    ],
)
def test_every_json_error_is_one_whole_message(text: str, message: str) -> None:
    reported = _reported(text)
    assert re.search(rf"^docker\.lock:\d+: (?:{message})", reported), reported
    what = reported.split("; ")[0]
    assert not what.endswith((" at", "starting")) and "column" in what, reported


@pytest.mark.parametrize(
    ("path", "key"),
    [
        (("questions", 3), "changed"),  # "changed" is also a key of the exporters' state
        (("questions", 0, "snapshot", "follow_ups", 1), "answer"),  # and of every snapshot
        ((), "version"),
    ],
)
def test_a_key_given_twice_is_reported_where_it_is_repeated(
    path: tuple[object, ...], key: str
) -> None:
    text, line = _damaged((*path, key), "\x00marker")
    at = text.index('"\\u0000marker"')
    # the same key again, just after the first: on the next line
    text = text[:at] + f'"\\u0000marker",\n"{key}": 1' + text[at + len('"\\u0000marker"') :]
    assert _reported(text).startswith(f"docker.lock:{line + 1}: {key}: given twice in one object")
