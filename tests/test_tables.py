"""Comparison tables read one row at a time (`dockerqa.tables`): which tables qualify, what a
row holds, and the key that keeps a row's card through edits of its page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import dockerqa
from conftest import ROOT, corpus_copy
from dockerqa import LockError
from dockerqa.identity import row_aliases
from dockerqa.lock import read_lock
from dockerqa.model import Kind, Level, Question, SourceSpan
from dockerqa.pipeline import refresh
from dockerqa.tables import table_rows

_VM = """Containers share the host kernel.

| Feature | Virtual Machine | Container |
| :-- | :-- | :-- |
| **Boot time** | 30 seconds to minutes | Milliseconds to seconds |
| **Size** | 1-40 GB | 5-500 MB |
"""


def _question(answer: str) -> Question:
    return Question(
        id="s/q",
        title="Q",
        heading="Q",
        section="s",
        kind=Kind.QUESTION,
        level=Level.BASIC,
        answer=answer,
        source=SourceSpan(file="<t>", first_line=1, last_line=1),
    )


def _rows(answer: str) -> list[tuple[str, str, tuple[str, ...], tuple[str, ...]]]:
    return [(r.key, r.feature, r.compared, r.cells) for r in table_rows(_question(answer))]


def test_a_comparison_table_gives_one_row_per_feature() -> None:
    assert _rows(_VM) == [
        (
            "boot-time",
            "Boot time",
            ("Virtual Machine", "Container"),
            ("30 seconds to minutes", "Milliseconds to seconds"),
        ),
        ("size", "Size", ("Virtual Machine", "Container"), ("1-40 GB", "5-500 MB")),
    ]


def test_only_a_feature_column_and_two_or_more_compared_columns_qualify() -> None:
    def qualifies(header: str) -> bool:
        cells = header.count("|") - 1
        table = f"{header}\n|{' --- |' * cells}\n|{' **Speed** | a |' + ' b |' * (cells - 2)}\n"
        return bool(_rows(table))

    assert qualifies("| Feature | Docker | Podman |")
    assert qualifies("| **Aspects** | Docker | Podman | LXC |")  # bold, plural, three compared
    assert qualifies("| | Docker | Podman |")  # an empty corner names the features too
    assert not qualifies("| Feature | Docker |")  # one column compares nothing
    assert not qualifies("| Driver | Scope | Use case |")  # things by their attributes
    assert not qualifies("| Feature set | Docker | Podman |")  # not a feature header


def test_a_rows_key_is_its_feature_whatever_else_changes() -> None:
    (boot, _) = table_rows(_question(_VM))
    edited = (
        _VM.replace("| **Size** | 1-40 GB | 5-500 MB |\n", "")  # a row removed
        .replace("Milliseconds to seconds", "Well under a second")  # cells reworded
        .replace("| **Boot time** |", "| Boot Time: |")  # case, bold and punctuation
    )
    edited += "| **Density** | tens | hundreds |\n"  # a row added
    keys = [r.key for r in table_rows(_question("Moved below.\n\n" + edited))]
    assert keys == ["boot-time", "density"]
    assert keys[0] == boot.key
    # a feature repeated in the answer (a second table) is numbered in page order
    twice = _rows(_VM + "\n\n" + _VM)
    assert [k for k, *_ in twice] == ["boot-time", "size", "boot-time-2", "size-2"]


def test_rows_without_a_feature_or_a_value_give_no_card() -> None:
    table = "| Feature | A | B |\n| - | - | - |\n| | x | y |\n| Empty | | |\n| Half | | y |\n"
    assert _rows(table) == [("half", "Half", ("A", "B"), ("", "y"))]
    assert _rows("No table | here") == []


def test_the_corpus_has_four_comparison_tables() -> None:
    counts = {q.id: len(table_rows(q)) for q in dockerqa.load() if table_rows(q)}
    assert counts == {
        "fundamentals/vm-vs-container": 7,
        "networking-storage/volumes-vs-bind-mounts": 4,
        "best-practices/arg-vs-env": 5,
        "security-ecosystem/podman-vs-docker": 6,
    }


# --- a reworded feature keeps its row's card (recorded in the lock only then) ----------------

_TABLE = "| Feature | Virtual Machine | Container |\n| --- | --- | --- |\n"
_BOOT = "| **{}** | 30 seconds to several minutes | Milliseconds to a few seconds |\n"
_SIZE = "| **Size** | Typically 1-40 GB per VM image | Typically 5-500 MB per image |\n"


def _table(*rows: str) -> Question:
    return _question(_TABLE + "".join(rows))


def test_a_reworded_feature_keeps_its_rows_key_as_an_edited_follow_up_keeps_its_slot() -> None:
    before = _table(_BOOT.format("Boot time"), _SIZE)
    # reworded and moved: the rest of the row says it is the same row
    assert row_aliases(_table(_SIZE, _BOOT.format("Startup time")), before) == {
        "startup-time": "boot-time"
    }
    # an unrelated row in its place is a new row
    other = "| **Startup time** | Needs a hypervisor | Needs only a kernel |\n"
    assert row_aliases(_table(other, _SIZE), before) == {}
    # unchanged, or reworded back: no alias
    assert row_aliases(before, before) == {}
    assert row_aliases(before, _table(_BOOT.format("Startup time"), _SIZE), {
        "startup-time": "boot-time"
    }) == {}  # fmt: skip
    assert row_aliases(before, None) == {}  # a new question's rows are their features


def test_row_aliases_carry_over_and_never_share_a_key() -> None:
    seen = {"startup-time": "boot-time"}
    then = _table(_BOOT.format("Startup time"), _SIZE)
    assert row_aliases(then, then, seen) == seen  # kept while the row is there
    later = _table(_BOOT.format("Startup latency"), _SIZE)
    assert row_aliases(later, then, seen) == {"startup-latency": "boot-time"}
    # a new row named as the kept key says: it gets a key of its own
    new = "| **Boot time** | Slow, a whole kernel | Fast, a process |\n"
    assert row_aliases(_table(_BOOT.format("Startup time"), _SIZE, new), then, seen) == {
        "startup-time": "boot-time",
        "boot-time": "boot-time+2",
    }


def test_the_lock_records_row_keys_only_for_a_reworded_feature(tmp_path: Path) -> None:
    page = corpus_copy(tmp_path)
    lock_file = page.with_suffix(".lock")
    original = lock_file.read_bytes()
    assert b'"rows"' not in original  # the corpus lock has none: no feature was reworded
    assert refresh(dockerqa.load(page), lock_file).changes.written is False
    assert lock_file.read_bytes() == original

    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("| **Boot time**   ", "| **Startup time**"), encoding="utf-8")
    lock = refresh(dockerqa.load(page), lock_file)
    entry = lock.entry("fundamentals/vm-vs-container")
    assert entry is not None and entry.rows == {"startup-time": "boot-time"}
    assert entry.row_key("startup-time") == "boot-time" and entry.row_key("size") == "size"
    written = lock_file.read_text(encoding="utf-8")
    assert written.count('"rows"') == 1
    assert read_lock(lock_file).same_as(lock)
    # a later refresh keeps it; so does another edit of the same question
    page.write_text(
        page.read_text(encoding="utf-8").replace("Typically 1-40 GB", "Often 1-40 GB"),
        encoding="utf-8",
    )
    again = refresh(dockerqa.load(page), lock_file).entry("fundamentals/vm-vs-container")
    assert again is not None and again.rows == {"startup-time": "boot-time"}


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ({"size": "size"}, "a row alias maps one row key to another"),
        ({"a b": "c"}, "a row alias maps one row key to another"),
        ({"a": "c", "b": "c"}, "two rows keep the same key"),
        (["a"], "rows: Input should be a valid dictionary"),
    ],
)
def test_a_damaged_row_alias_names_the_lock_and_line(
    tmp_path: Path, rows: object, message: str
) -> None:
    lock_file = tmp_path / "docker.lock"
    data = json.loads((ROOT / "corpus" / "docker.lock").read_text(encoding="utf-8"))
    (entry,) = [e for e in data["questions"] if e["id"] == "fundamentals/vm-vs-container"]
    entry["rows"] = rows
    lock_file.write_text(json.dumps(data, indent=2), encoding="utf-8")
    lines = lock_file.read_text(encoding="utf-8").split("\n")
    entry_line = lines.index('      "id": "fundamentals/vm-vs-container",')
    line = next(i for i, t in enumerate(lines) if i > entry_line and t.startswith('      "rows": '))
    with pytest.raises(LockError) as caught:
        read_lock(lock_file)
    assert str(caught.value).startswith(f"{lock_file}:{line + 1}: questions.")  # the rows' line
    assert message in str(caught.value) and "\n" not in str(caught.value)
