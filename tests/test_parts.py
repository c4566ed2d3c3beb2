"""A question's parts come from one table (`dockerqa.model.PARTS`): a part added to it reaches
every format (the drill's reveal too), in the table's order, with the table's label, folded on
a card's back as the table says."""

from __future__ import annotations

import csv
import dataclasses
import importlib
import io
import json
import pkgutil
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageOptions
from click.testing import CliRunner
from engines import parse_html

import dockerqa
from conftest import FIXTURES, corpus_copy
from dockerqa import model
from dockerqa.cli import main
from dockerqa.drill import Drill
from dockerqa.model import PARTS, PARTS_BY_NAME, PartSpec, Question

SMALL = FIXTURES / "exporters" / "small.mdx"
HINT = "Picture the layers as commits stacked in a repository."
LABEL = "Memory hook"
GIST = "Images are built, containers run."
GIST_LABEL = "In one line"
VM = "fundamentals/vm-vs-container"


class _Hinted(Question):
    hint: str | None = None
    """A part the page format does not have yet (it folds)."""
    gist: str | None = None
    """Another (it does not fold)."""


class _HintedLibrary(dockerqa.Library):
    questions: tuple[_Hinted, ...]
    """Questions with the new part."""


def _use_table(
    monkeypatch: pytest.MonkeyPatch, table: tuple[PartSpec, ...], **more: object
) -> None:
    """``table`` in place of `PARTS` (and what is derived from it) in every module holding it;
    ``more`` replaces other objects by name in `dockerqa.model` the same way. Every module is
    imported first, so none binds the copy for good."""
    for found in pkgutil.walk_packages(dockerqa.__path__, "dockerqa."):
        if not found.name.endswith("__main__"):
            importlib.import_module(found.name)
    for name in ("anki", "csv", "html", "json"):
        importlib.import_module(f"dockerqa.exporters.{name}")
    replaced: dict[int, object] = {
        id(PARTS): table,
        id(model.PARTS_BY_NAME): {p.name: p for p in table},
        id(model.TEXT_PARTS): tuple(p.name for p in table if p.name != "follow_ups"),
        id(model.FIELD_LABELS): {p.name: p.label for p in table},
        **{id(getattr(model, name)): value for name, value in more.items()},
    }
    patched = 0
    for module in [m for name, m in sys.modules.items() if name.startswith("dockerqa")]:
        for attr, value in list(vars(module).items()):
            if id(value) in replaced:
                monkeypatch.setattr(module, attr, replaced[id(value)])
                patched += 1
    assert patched >= 5


@pytest.fixture
def hinted_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy of the table with a ``hint`` part after the answer and a ``gist`` part after it,
    and the fields on the question, as the page format would add them."""
    hint = PartSpec("hint", LABEL, "hint", True, "with a memory hook")
    gist = PartSpec("gist", GIST_LABEL, "gist", False, "with a gist")
    at = [p.name for p in PARTS].index("answer") + 1
    table = (*PARTS[:at], hint, gist, *PARTS[at:])
    _use_table(monkeypatch, table, Question=_Hinted, Library=_HintedLibrary)


def _library(page: Path) -> dockerqa.Library:
    """The page with the new parts on its first question (every question has the fields)."""
    data = dockerqa.load(page).model_dump()
    data["questions"][0]["hint"] = HINT
    data["questions"][0]["gist"] = GIST
    return _HintedLibrary.model_validate(data)


def test_a_new_part_reaches_every_format(hinted_table: None, tmp_path: Path) -> None:
    page = tmp_path / SMALL.name
    for f in (SMALL, SMALL.with_suffix(".toml")):
        shutil.copy(f, tmp_path / f.name)
    library = _library(page)
    q = library.questions[0]
    lock = page.with_suffix(".lock")

    # the model: show and stats
    fields = list(q.text_fields())
    assert fields.index("answer") + 1 == fields.index("hint") == fields.index("gist") - 1
    shown = q.to_markdown()
    assert f"## {LABEL}\n\n{HINT}\n\n## {GIST_LABEL}\n\n{GIST}\n\n## What interviewers" in shown
    counts = library.counts().parts
    assert counts["with a memory hook"] == counts["with a gist"] == 1
    # `dockerqa stats` lists the parts in the table's order (the page itself has neither)
    printed = CliRunner().invoke(main, ["stats", "--source", str(page)]).output
    order = ["with an answer", "0  with a memory hook", "0  with a gist", "with an example"]
    assert sorted(order, key=printed.index) == order

    # the drill's reveal: on request, in the table's order
    with dockerqa.Store(tmp_path / "drill.sqlite3") as store:
        drill = Drill(library, store, now=datetime(2026, 3, 1, tzinfo=UTC))
        item = next(t for t in drill.plan(new=99) if t.question.id == q.id).items[0]
        assert [m for m in drill.ask(item).more if m[0] in (LABEL, GIST_LABEL)] == [
            (LABEL, HINT),
            (GIST_LABEL, GIST),
        ]

    out = tmp_path / "out"
    out.mkdir()
    (as_json,) = dockerqa.export(library, "json", out / "q.json", lock=lock)
    assert json.loads(as_json.read_text())["questions"][0]["hint"] == HINT

    (sheet,) = dockerqa.export(library, "html", out / "q.html", lock=lock)
    html = sheet.read_text()
    assert "dq-hint" in html and "dq-gist" in html
    order = [q.answer.split()[-1], LABEL, HINT, GIST_LABEL, GIST, "interviewers are really"]
    assert sorted(order, key=html.index) == order

    for plain in (False, True):
        (rows,) = dockerqa.export(library, "csv", out / f"q{plain}.csv", lock=lock, plain=plain)
        cells = [c for row in csv.reader(io.StringIO(rows.read_text())) for c in row]
        back = next(c for c in cells if HINT in c)
        # under its label, in the table's order: before what interviewers test
        order = [LABEL, HINT, GIST_LABEL, GIST, "interviewers are really"]
        assert sorted(order, key=back.index) == order

    (deck,) = dockerqa.export(library, "anki", out / "q.apkg", lock=lock)
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(deck), options=ImportAnkiPackageOptions(with_scheduling=True)
            )
        )
        note = col.get_note(col.find_notes(f'"Id:{q.id}"')[0])
        back = note["Details"]
        order = [LABEL, HINT, GIST_LABEL, GIST, "What interviewers are really testing"]
        assert sorted(order, key=back.index) == order
        # the hint folds, the gist shows: as the table says
        folds = {dict(attrs).get("class"): tag == "details" for tag, attrs in parse_html(back).tags}
        assert (folds["dq-block dq-hint"], folds["dq-block dq-gist"]) == (True, False)
    finally:
        col.close()


def test_a_label_is_one_edit(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A part relabelled in a copy of the table is named so by show, the cheat sheet, the CSV
    and the deck (its fold on the card's back)."""
    labels = {"follow_ups": "Drill-down questions", "interviewer_intent": "What is probed"}
    table = tuple(dataclasses.replace(p, label=labels.get(p.name, p.label)) for p in PARTS)
    _use_table(monkeypatch, table)
    page = corpus_copy(tmp_path / "page")
    q = dockerqa.load(page).get(VM)
    assert q.interviewer_intent and q.follow_ups
    new, old = "Drill-down questions", PARTS_BY_NAME["follow_ups"].label
    shown = q.to_markdown()
    assert "## What is probed" in shown and f"## {new}" in shown and old not in shown

    out = tmp_path / "out"
    out.mkdir()
    (sheet,) = dockerqa.export(page, "html", out / "q.html")
    assert "<h4>What is probed</h4>" in sheet.read_text() and f"<h4>{new}</h4>" in sheet.read_text()
    (rows,) = dockerqa.export(page, "csv", out / "q.csv")
    assert f"<b>{new}</b>" in rows.read_text() and "<b>What is probed</b>" in rows.read_text()
    (deck,) = dockerqa.export(page, "anki", out / "q.apkg", cards=["main"])
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(deck), options=ImportAnkiPackageOptions())
        )
        note = col.get_note(col.find_notes(f'"Id:{VM}"')[0])
        assert "<summary class=dq-label>What is probed</summary>" in note["Details"]
        assert f"<summary class=dq-label>{new} (" in note["Chain"]
    finally:
        col.close()
