"""Comparison tables read one row at a time (`dockerqa.tables`): which tables qualify, what a
row holds, and the key that keeps a row's card through edits of its page."""

from __future__ import annotations

import dockerqa
from dockerqa.model import Kind, Level, Question, SourceSpan
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
