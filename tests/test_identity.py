"""Identity across pages and releases, and the one export path, checked in the real Anki engine.

Every claim here is an import into a fresh collection with the official ``anki`` package.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import genanki
import pytest
from anki.collection import Collection, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageOptions
from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition as Update

import dockerqa
from conftest import FIXTURES, ROOT, corpus_copy, run_cli
from dockerqa.lock import read_lock

T0 = 1_700_000_000
#: The search README gives learners of 0.1 for the notes the 0.2 deck no longer updates.
OLD_NOTES_SEARCH = '"note:dockerqa Follow-up" OR "note:dockerqa Red flag"'

PAGE = """---
title: "{title}"
---

## 1. Fundamentals

<AccordionGroup>
  <Accordion title="1. VM vs Container">
**Answer**: {answer}
  </Accordion>
</AccordionGroup>
"""


def import_apkg(col: Collection, apkg: Path, **options: Any) -> Any:
    request = ImportAnkiPackageRequest(
        package_path=str(apkg), options=ImportAnkiPackageOptions(**options)
    )
    return col.import_anki_package(request).log


def test_the_page_key_comes_from_metadata_else_the_file_name(tmp_path: Path) -> None:
    assert dockerqa.load().metadata.key == "dockerqa"
    page = tmp_path / "Kubernetes Questions.mdx"
    page.write_text(PAGE.format(title="K8s", answer="a"), encoding="utf-8")
    assert dockerqa.load(page).metadata.key == "kubernetes-questions"
    page.with_suffix(".toml").write_text('key = "k8s"\n', encoding="utf-8")
    assert dockerqa.load(page).metadata.key == "k8s"
    page.with_suffix(".toml").write_text('key = "Not A Slug"\n', encoding="utf-8")
    with pytest.raises(dockerqa.MetadataError, match="key: must be a lowercase slug"):
        dockerqa.load(page)


def test_two_pages_never_share_a_note_or_a_deck(tmp_path: Path) -> None:
    """Both pages have section "1. Fundamentals" and question "VM vs Container", as the
    bundled corpus has: each deck keeps its own notes, in its own deck tree."""
    apkgs = [dockerqa.export(corpus_copy(tmp_path / "corpus"), "anki", tmp_path / "c.apkg")[0]]
    for name, title in (("mine", "My Notes"), ("theirs", "Their Notes")):
        page = tmp_path / name / f"{name}.mdx"  # the key comes from the file name
        page.parent.mkdir()
        page.write_text(PAGE.format(title=title, answer=f"{name} answer"), encoding="utf-8")
        assert dockerqa.load(page).questions[0].id == "fundamentals/vm-vs-container"
        apkgs += dockerqa.export(page, "anki", tmp_path / f"{name}.apkg", now=T0)
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        logs = [import_apkg(col, apkg) for apkg in apkgs]
        assert [(len(x.new), len(x.updated), len(x.duplicate)) for x in logs] == [
            (88, 0, 0),
            (1, 0, 0),
            (1, 0, 0),
        ]
        notes = [col.get_note(n) for n in col.find_notes('"Id:fundamentals/vm-vs-container"')]
        assert len(notes) == 3 and len({n.guid for n in notes}) == 3
        answers = " | ".join(n["Answer"] for n in notes)
        assert "mine answer" in answers and "theirs answer" in answers
        assert "Virtualization level" in answers  # the corpus note, untouched
        decks = {
            col.decks.name(col.get_card(c).did).split("::")[0] for n in notes for c in n.card_ids()
        }
        assert decks == {"Docker Interview Questions", "My Notes", "Their Notes"}
    finally:
        col.close()


def test_learners_of_the_previous_release_keep_their_reviews(tmp_path: Path) -> None:
    """0.1's deck (three note types), reviewed, then this release imported once with "Merge
    note types" ticked and "Update notes: Always", exactly as README tells existing learners."""
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        log1 = import_apkg(col, FIXTURES / "anki" / "dockerqa-0.1.apkg", with_scheduling=True)
        assert len(log1.new) == 185
        old_notes = set(col.find_notes(OLD_NOTES_SEARCH))
        assert len(old_notes) == 97
        question_cards = col.find_cards('"note:dockerqa Question"')[:10]
        for cid in question_cards:
            card = col.get_card(cid)
            card.start_timer()
            col.sched.answerCard(card, 3)
        before = {
            cid: (c.ivl, c.due, c.reps) for cid in question_cards for c in [col.get_card(cid)]
        }
        revlog = col.db.scalar("select count() from revlog")

        new = dockerqa.export(corpus_copy(tmp_path / "corpus"), "anki", tmp_path / "new.apkg")
        always = Update.Value("IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS")
        log2 = import_apkg(col, new[0], merge_notetypes=True, update_notes=always)

        assert (len(log2.new), len(log2.duplicate), len(log2.conflicting)) == (0, 0, 0)
        assert len(log2.updated) == 88
        after = {cid: (c.ivl, c.due, c.reps) for cid in question_cards for c in [col.get_card(cid)]}
        assert after == before and col.db.scalar("select count() from revlog") == revlog
        # every question once, with its new sibling cards
        ids = [col.get_note(n)["Id"] for n in col.find_notes('"note:dockerqa Question"')]
        assert sorted(ids) == sorted(q.id for q in dockerqa.load())
        assert len(col.find_cards('"note:dockerqa Question"')) == 88 + 77 + 20
        # no copied note type left behind; the old follow-up and red-flag notes are exactly
        # what README's search finds
        names = sorted(m.name for m in col.models.all_names_and_ids())
        assert not [n for n in names if n.startswith("dockerqa") and n.endswith("+")]
        assert set(col.find_notes(OLD_NOTES_SEARCH)) == old_notes
        assert list(col._backend.check_database()) == []
    finally:
        col.close()


def test_the_corpus_keeps_the_guids_of_the_previous_release(tmp_path: Path) -> None:
    apkg = dockerqa.export(corpus_copy(tmp_path / "corpus"), "anki", tmp_path / "d.apkg")[0]
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        import_apkg(col, apkg)
        for nid in col.find_notes(""):
            note = col.get_note(nid)
            assert note.guid == genanki.guid_for("dockerqa", note["Id"])
    finally:
        col.close()


# --- the one export path ---------------------------------------------------------------------


def test_a_library_without_a_lock_cannot_feed_the_anki_exporter(tmp_path: Path) -> None:
    library = dockerqa.load()
    with pytest.raises(dockerqa.ExportError, match="needs the page's lock file"):
        dockerqa.export(library, "anki", tmp_path / "d.apkg")
    # text formats need no lock
    assert dockerqa.export(library, "json", tmp_path / "d.json") == [tmp_path / "d.json"]
    assert not (tmp_path / "d.apkg").exists()


def test_a_filtered_library_exports_with_the_lock_of_its_page(tmp_path: Path) -> None:
    page = corpus_copy(tmp_path / "corpus")
    lock_before = page.with_suffix(".lock").read_bytes()
    hard = dockerqa.load(page).filter(min_level="advanced")
    out = dockerqa.export(hard, "anki", tmp_path / "hard.apkg", lock=page.with_suffix(".lock"))
    assert page.with_suffix(".lock").read_bytes() == lock_before  # nothing retired
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        assert len(import_apkg(col, out[0]).new) == len(hard)
    finally:
        col.close()


def test_variants_have_file_names_of_their_own(tmp_path: Path) -> None:
    page = corpus_copy(tmp_path / "corpus")
    result = run_cli("export", "csv", "--plain", "--source", str(page), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    result = run_cli("export", "html", "--compact", "--source", str(page), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "dist").iterdir()) == [
        "dockerqa-cheatsheet-compact.html",
        "dockerqa-plain.csv",
    ]


def test_output_never_replaces_the_page_its_metadata_or_its_lock(tmp_path: Path) -> None:
    page = corpus_copy(tmp_path / "corpus")
    files = {p: p.read_bytes() for p in page.parent.iterdir()}
    for target in files:
        result = run_cli("export", "json", "--source", str(page), "--out", str(target))
        assert result.returncode == 1
        assert result.stderr.startswith("dockerqa: error: ") and "refusing" in result.stderr
        assert result.stderr.count("\n") == 1
    assert {p: p.read_bytes() for p in page.parent.iterdir()} == files


def test_read_only_commands_work_whatever_state_the_lock_is_in(tmp_path: Path) -> None:
    page = corpus_copy(tmp_path / "corpus")
    page.with_suffix(".lock").write_text("{ damaged", encoding="utf-8")
    for args in (("list",), ("show", "fundamentals/vm-vs-container"), ("stats",), ("validate",)):
        result = (
            run_cli(*args, "--source", str(page))
            if args[0] != "validate"
            else run_cli("validate", str(page))
        )
        assert result.returncode == 0, (args, result.stderr)
    result = run_cli("export", "anki", "--source", str(page), "--out", str(tmp_path / "d.apkg"))
    assert result.returncode == 1 and "not valid JSON" in result.stderr


def test_a_control_character_in_the_page_does_not_break_the_deck(tmp_path: Path) -> None:
    """U+001F is Anki's field separator: in 0.1 a title holding it made Anki reject the package
    ("note has 10 fields, expected 9")."""
    page = tmp_path / "ctl.mdx"
    page.write_text(PAGE.format(title="T", answer="a\x1fb").replace("VM vs", "VM\x1f vs"))
    result = run_cli("validate", str(page))
    assert "control-character" in result.stdout
    apkg = dockerqa.export(page, "anki", tmp_path / "d.apkg", now=T0)[0]
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        assert len(import_apkg(col, apkg).new) == 1
        note = col.get_note(col.find_notes("")[0])
        assert "\x1f" not in "".join(note.fields) and note["Title"] == "VM vs Container"
    finally:
        col.close()


def test_export_all_says_exactly_what_it_wrote_before_a_failure(tmp_path: Path) -> None:
    page = corpus_copy(tmp_path / "corpus")
    out = tmp_path / "out"
    (out / "dockerqa-cheatsheet.html").mkdir(parents=True)  # the third file cannot be written
    result = run_cli("export", "all", "--source", str(page), "--out", str(out))
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "already written: " in result.stderr
    written = sorted(p.name for p in out.iterdir())
    assert written == ["dockerqa-cheatsheet.html", "dockerqa.apkg", "dockerqa.csv"]
    assert f"{out / 'dockerqa.apkg'}, {out / 'dockerqa.csv'})" in result.stderr


def test_the_lock_of_another_page_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "k8s.mdx"
    page.write_text(PAGE.format(title="K8s", answer="a"), encoding="utf-8")
    dockerqa.export(page, "anki", tmp_path / "k8s.apkg", now=T0)
    before = page.with_suffix(".lock").read_bytes()
    theirs = r"belongs to the page with key 'k8s-[0-9a-f]{8}', not to"  # minted, first lock
    with pytest.raises(dockerqa.LockError, match=theirs):
        dockerqa.export(
            dockerqa.load(), "anki", tmp_path / "d.apkg", lock=page.with_suffix(".lock")
        )
    assert page.with_suffix(".lock").read_bytes() == before
    assert not (tmp_path / "d.apkg").exists()


def test_a_library_without_its_lock_is_named_by_its_page_in_messages(tmp_path: Path) -> None:
    library = dockerqa.load().filter(tag="security")
    with pytest.raises(dockerqa.LockError) as err:
        dockerqa.export(library, "anki", tmp_path / "d.apkg", lock=tmp_path / "none.lock")
    message = str(err.value)
    assert len(message) < 400 and "corpus/docker.mdx" in message, message


def test_reading_commands_show_the_ids_the_deck_carries(tmp_path: Path) -> None:
    page = tmp_path / "k8s.mdx"
    page.write_text(PAGE.format(title="K8s", answer="a long enough answer " * 5))
    dockerqa.export(page, "json", tmp_path / "a.json")
    dockerqa.export(page, "anki", tmp_path / "a.apkg", now=T0)
    page.write_text(page.read_text().replace("VM vs Container", "Virtual Machines vs Containers"))
    dockerqa.export(page, "anki", tmp_path / "b.apkg", now=T0 + 1)  # the lock records the rename
    listed = run_cli("list", "--source", str(page))
    assert listed.stdout.split()[0] == "fundamentals/vm-vs-container"  # as on the card
    for asked in ("fundamentals/vm-vs-container", "fundamentals/virtual-machines-vs-containers"):
        shown = run_cli("show", asked, "--source", str(page))
        assert shown.returncode == 0, shown.stderr
        assert "id: fundamentals/vm-vs-container" in shown.stdout


FOUR = """---
title: "{title}"
---

## 1. Fundamentals

<AccordionGroup>
  <Accordion title="1. VM vs Container">
**Answer**: {answer} one.
  </Accordion>
  <Accordion title="2. Image vs Container">
**Answer**: {answer} two.
  </Accordion>
</AccordionGroup>
"""


def test_two_pages_of_one_file_name_in_two_folders_never_share_a_note(tmp_path: Path) -> None:
    """a/docker.mdx and b/docker.mdx, no metadata: each key is minted with its first lock."""
    apkgs = []
    for name in ("a", "b"):
        page = tmp_path / name / "docker.mdx"
        page.parent.mkdir()
        page.write_text(FOUR.format(title="Docker", answer=f"page {name}"), encoding="utf-8")
        apkgs += dockerqa.export(page, "anki", tmp_path / f"{name}.apkg", now=T0)
    keys = {read_lock(tmp_path / n / "docker.lock").key for n in ("a", "b")}
    assert len(keys) == 2 and all(k is not None and k.startswith("docker-") for k in keys)
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        logs = [import_apkg(col, apkg) for apkg in apkgs]
        assert [len(x.new) for x in logs] == [2, 2]
        answers = sorted(col.get_note(n)["Answer"] for n in col.find_notes(""))
        assert len(answers) == 4 and sum("page b" in a for a in answers) == 2
    finally:
        col.close()


def test_a_page_renamed_or_moved_with_its_lock_keeps_every_note(tmp_path: Path) -> None:
    page = tmp_path / "docker.mdx"
    page.write_text(FOUR.format(title="Docker", answer="text"), encoding="utf-8")
    first = dockerqa.export(page, "anki", tmp_path / "first.apkg", now=T0)[0]
    key = read_lock(page.with_suffix(".lock")).key
    # the same page exported fresh elsewhere mints the same key (from its content)
    twin = tmp_path / "twin" / "docker.mdx"
    twin.parent.mkdir()
    shutil.copyfile(page, twin)
    dockerqa.export(twin, "anki", tmp_path / "twin.apkg", now=T0)
    assert read_lock(twin.with_suffix(".lock")).key == key
    moved = tmp_path / "elsewhere" / "containers.mdx"
    moved.parent.mkdir()
    page.rename(moved)
    page.with_suffix(".lock").rename(moved.with_suffix(".lock"))
    text = moved.read_text(encoding="utf-8").replace("text one.", "text one, edited.")
    moved.write_text(text, encoding="utf-8")
    second = dockerqa.export(moved, "anki", tmp_path / "second.apkg", now=T0 + 10)[0]
    assert read_lock(moved.with_suffix(".lock")).key == key
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        assert len(import_apkg(col, first).new) == 2
        log = import_apkg(col, second)
        assert (len(log.new), len(log.updated), len(log.duplicate)) == (0, 1, 1)
        assert len(col.find_notes("")) == 2
    finally:
        col.close()


def test_a_lock_of_another_page_is_refused_for_a_page_without_a_key(tmp_path: Path) -> None:
    """A page that names no key takes the key its lock records (so a page moved with its lock
    keeps its notes), but never from the lock of another page: one that knows none of its
    questions is refused and left as it was."""
    page = tmp_path / "mine.mdx"
    page.write_text((FIXTURES / "exporters" / "small.mdx").read_text(encoding="utf-8"))
    other = tmp_path / "other.lock"
    shutil.copyfile(ROOT / "corpus" / "docker.lock", other)
    before = other.read_bytes()
    with pytest.raises(dockerqa.LockError, match=r"other\.lock belongs to another page"):
        dockerqa.export(dockerqa.load(page), "anki", tmp_path / "mine.apkg", lock=other)
    assert other.read_bytes() == before
    assert not (tmp_path / "mine.apkg").exists()
    # its own lock, moved with it, is still taken
    key = dockerqa.refresh_lock(page).key
    assert key is not None and key.startswith("mine-")
    shutil.move(page.with_suffix(".lock"), tmp_path / "renamed.lock")
    shutil.move(page, tmp_path / "renamed.mdx")
    assert dockerqa.refresh_lock(tmp_path / "renamed.mdx").key == key
