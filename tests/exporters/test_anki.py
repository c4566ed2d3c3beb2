"""The Anki exporter, checked by importing its decks into the real Anki engine.

Every deck built here is imported with the official ``anki`` package into a fresh collection,
exactly as the desktop app imports it: counts, decks, tags, database check, rendering, the
update story across two releases, reproducible bytes and hostile text.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import genanki
import pytest
from anki.collection import Collection, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageOptions
from engines import live_html, parse_html

import dockerqa
import dockerqa.lock
from conftest import FIXTURES, ROOT, corpus_copy, fresh_export, run_cli
from dockerqa import ExportError, LockError
from dockerqa.exporters.anki import FIELDS, QUESTION_MODEL_ID, AnkiExporter, notetypes
from dockerqa.exporting import ExportContext
from dockerqa.identity import apply_renames, build_lock
from dockerqa.lock import Lock
from dockerqa.pipeline import refresh

STORY = FIXTURES / "anki"
T0 = 1_700_000_000
CORPUS_NOTES = 88
CORPUS_CARDS = 88 + 77 + 20


# --- helpers ---------------------------------------------------------------------------------


def open_collection(path: Path) -> Collection:
    return Collection(str(path))


def import_apkg(col: Collection, apkg: Path, **options: Any) -> Any:
    """Import a package the way the desktop app does; return the import log."""
    request = ImportAnkiPackageRequest(
        package_path=str(apkg), options=ImportAnkiPackageOptions(**options)
    )
    return col.import_anki_package(request).log


def rendered(col: Collection) -> Iterator[tuple[int, str, str]]:
    """(card id, question HTML, answer HTML) of every card."""
    for cid in col.find_cards(""):
        out = col.get_card(cid).render_output()
        yield cid, out.question_text, out.answer_text


def build(
    library: dockerqa.Library, dest: Path, *, lock: Lock | None = None, **options: Any
) -> Path:
    """Build a deck the way the pipeline does: renames applied, state from the lock."""
    lock = lock if lock is not None else build_lock(library, now=T0)
    exporter = AnkiExporter(**options)
    state = exporter.next_state(lock.exporter_state("anki"), T0)
    context = ExportContext(key=library.metadata.key, lock=lock, state=state)
    data = exporter.build(apply_renames(library, lock), context)
    dest.write_bytes(data)
    return dest


def story_page(directory: Path, version: str) -> Path:
    page = directory / "deck.mdx"
    shutil.copyfile(STORY / f"story_{version}.mdx", page)
    shutil.copyfile(STORY / "story.toml", directory / "deck.toml")
    return page


# --- the corpus deck, built and imported once ------------------------------------------------


@pytest.fixture(scope="session")
def corpus_lock(corpus: dockerqa.Library) -> Lock:
    return build_lock(corpus, now=T0)


@pytest.fixture(scope="session")
def corpus_apkg(
    corpus: dockerqa.Library, corpus_lock: Lock, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    return build(corpus, tmp_path_factory.mktemp("deck") / "dockerqa.apkg", lock=corpus_lock)


@pytest.fixture(scope="session")
def corpus_import(
    corpus_apkg: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Collection, Any]]:
    col = open_collection(tmp_path_factory.mktemp("col") / "collection.anki2")
    log = import_apkg(col, corpus_apkg, with_scheduling=True)
    yield col, log
    col.close()


@pytest.fixture(scope="session")
def corpus_cards(corpus_import: tuple[Collection, Any]) -> list[tuple[int, str, str]]:
    return list(rendered(corpus_import[0]))


def test_counts_match_the_library(
    corpus: dockerqa.Library, corpus_import: tuple[Collection, Any]
) -> None:
    col, log = corpus_import
    follow_ups = sum(len(q.answered_follow_ups) for q in corpus)
    red_flags = sum(1 for q in corpus if q.red_flag)
    assert (len(corpus), follow_ups, red_flags) == (88, 77, 20)
    assert col.note_count() == CORPUS_NOTES == len(log.new)
    assert col.card_count() == CORPUS_CARDS
    assert (len(log.updated), len(log.duplicate), len(log.conflicting)) == (0, 0, 0)
    assert len(col.find_notes(f"mid:{QUESTION_MODEL_ID}")) == 88
    # sibling cards by template: question, follow-up slots 1-8, red flag
    assert len(col.find_cards("card:Card")) == 88
    assert sum(len(col.find_cards(f'"card:Follow-up {n}"')) for n in range(1, 9)) == 77
    assert len(col.find_cards('"card:Red flag"')) == 20


def test_database_check_is_clean(corpus_import: tuple[Collection, Any]) -> None:
    col, _ = corpus_import
    assert list(col._backend.check_database()) == []


def test_one_subdeck_per_section_in_source_order(
    corpus: dockerqa.Library, corpus_import: tuple[Collection, Any]
) -> None:
    col, _ = corpus_import
    root = corpus.metadata.title
    assert root == "Docker Interview Questions"
    names = sorted(d.name for d in col.decks.all_names_and_ids() if d.name.startswith(root))
    expected = [f"{root}::{i:02d} {s.title}" for i, s in enumerate(corpus.sections, 1)]
    assert names == [root, *expected]
    assert expected[0] == "Docker Interview Questions::01 Fundamentals & Architecture"
    # every card sits in its question's section deck
    for i, section in enumerate(corpus.sections):
        deck = f'"deck:{expected[i]}"'
        ids = {col.get_note(n)["Id"] for n in col.find_notes(deck)}
        assert ids == {q.id for q in corpus.in_section(section.id)}


def test_tags_are_hierarchical(
    corpus: dockerqa.Library, corpus_import: tuple[Collection, Any]
) -> None:
    col, _ = corpus_import
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        q = corpus.get(note["Id"])
        tags = set(note.tags)
        assert f"dockerqa::level::{q.level.value}" in tags
        assert f"dockerqa::section::{q.section}" in tags
        assert f"dockerqa::kind::{q.kind.value}" in tags
        assert {f"dockerqa::topic::{t}" for t in q.tags} <= tags
        assert "dockerqa::retired" not in tags
    assert len(col.find_notes("tag:dockerqa::level::basic")) > 0
    assert len(col.find_notes("tag:dockerqa::kind::scenario")) > 0
    assert len(col.find_notes("tag:dockerqa::section::fundamentals")) > 0
    assert len(col.find_notes("tag:dockerqa::type::main")) == 88
    assert len(col.find_notes("tag:dockerqa::topic::networking")) > 0


def test_the_note_type_has_a_fixed_id_and_frozen_fields(
    corpus_import: tuple[Collection, Any],
) -> None:
    col, _ = corpus_import
    assert [m["name"] for m in col.models.all() if m["name"].startswith("dockerqa")] == [
        "dockerqa Question"
    ]
    model = col.models.get(QUESTION_MODEL_ID)
    assert model is not None
    assert [f["name"] for f in model["flds"]] == list(FIELDS)
    templates = ["Card", *(f"Follow-up {n}" for n in range(1, 9)), "Red flag"]
    assert [t["name"] for t in model["tmpls"]] == templates
    for template in model["tmpls"]:
        assert "<script" not in (template["qfmt"] + template["afmt"]).lower()
    css = model["css"]
    assert ".nightMode" in css and ".night_mode" in css
    assert "overflow-x: auto" in css
    # the frozen list, spelled out: changing it costs every learner a "Merge note types" import
    slots = [f"FollowUp{n}{a}" for n in range(1, 9) for a in ("", "Answer")]
    assert (
        "Id", "Context", "Title", "Prompt", "Answer", "Details", "Source", "Banner", "Chain",
        "RedFlag", *slots,
    ) == FIELDS  # fmt: skip
    assert QUESTION_MODEL_ID == 1773346606


def test_guids_and_mod_times_come_from_the_lock(
    corpus_import: tuple[Collection, Any], corpus_lock: Lock
) -> None:
    col, _ = corpus_import
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        assert note.guid == genanki.guid_for("dockerqa", note["Id"])  # the key of the corpus
        entry = corpus_lock.entry(note["Id"])
        assert entry is not None and note.mod == entry.changed == T0


def test_every_card_renders(corpus_cards: list[tuple[int, str, str]]) -> None:
    assert len(corpus_cards) == CORPUS_CARDS
    for cid, question, answer in corpus_cards:
        for side in (question, answer):
            assert "template has a problem" not in side.lower(), cid
            assert "{{" not in parse_html(side).prose, cid
        assert len(answer) > len(question), cid


_RAW_ENTITY = re.compile(r"&(#\d+|#x[0-9a-f]+|[a-z]+\d*);", re.I)


def test_no_raw_markdown_or_entities_in_any_card(
    corpus_cards: list[tuple[int, str, str]],
) -> None:
    problems = []
    for cid, question, answer in corpus_cards:
        for side in (question, answer):
            parsed = parse_html(side)
            prose = "".join(parsed.prose)
            text = "".join(parsed.text)
            for marker in ("**", "`", "\\~", "\\_", "\\$", "\\<", "\\{"):
                if marker in prose:
                    problems.append((cid, marker, prose[prose.index(marker) - 40 :][:80]))
            if m := _RAW_ENTITY.search(text):
                problems.append((cid, m.group(0), text[m.start() - 40 : m.end() + 40]))
    assert problems == []


MERMAID_BLOCK = (
    '<div class="code-lang">Diagram (Mermaid source)</div>\n<pre class="mermaid-diagram">graph'
)


def test_study_design(corpus_cards: list[tuple[int, str, str]]) -> None:
    answers = [a for _, _, a in corpus_cards]
    joined = "\n".join(answers)
    assert "<details" in joined and "<summary" in joined  # long parts fold, no JavaScript
    assert "What interviewers are really testing" in joined
    assert "Red flag answer" not in joined  # the red flag has its own card: no spoiler
    assert "Follow-up chain" in joined
    assert "<table" in joined
    # diagram source is a labelled, preformatted block, never loose code
    assert joined.count('class="mermaid-diagram"') == joined.count(MERMAID_BLOCK) > 0
    questions = [q for _, q, _ in corpus_cards]
    assert any(notetypes.RED_FLAG_ASK in q for q in questions)
    assert any("· Follow-up 1<" in q for q in questions)
    # highlighted code: pygments CSS classes, not inline styles
    code = [a for a in answers if "<pre" in a]
    assert code and all(
        "style=" not in block for a in code for block in re.findall(r"<pre.*?</pre>", a, re.S)
    )
    assert any(re.search(r'<span class="(k|nb|s2|c1|kd|nt)"', a) for a in code)


def test_no_card_spoils_a_sibling(
    corpus: dockerqa.Library, corpus_import: tuple[Collection, Any]
) -> None:
    col, _ = corpus_import
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        q = corpus.get(note["Id"])
        back = note["Answer"] + note["Details"] + note["Chain"]
        answered = [note[f"FollowUp{n}Answer"] for n in range(1, 9) if note[f"FollowUp{n}Answer"]]
        assert len(answered) == len(q.answered_follow_ups)
        for sibling in [*answered, note["RedFlag"]]:
            if sibling:
                assert sibling not in back, q.id


def test_the_card_never_scrolls_sideways(corpus_import: tuple[Collection, Any]) -> None:
    col, _ = corpus_import
    css = col.models.get(QUESTION_MODEL_ID)["css"]
    assert re.search(r"\.dq pre[^{]*\{[^}]*white-space: pre-wrap", css)  # long code wraps
    assert re.search(r"\.table-wrap \{[^}]*overflow-x: auto", css)  # so do wide tables
    assert re.search(r"\.card \{[^}]*overflow-x: hidden", css)  # the card itself never does


# --- options and errors ----------------------------------------------------------------------


def test_card_types_can_be_chosen(corpus: dockerqa.Library, tmp_path: Path) -> None:
    apkg = build(corpus, tmp_path / "main.apkg", cards=("main", "red-flag"))
    col = open_collection(tmp_path / "c.anki2")
    try:
        import_apkg(col, apkg)
        assert (col.note_count(), col.card_count()) == (88, 88 + 20)
    finally:
        col.close()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"cards": ("main", "clozes")}, r"unknown value 'clozes' \(choose from main, "),
        ({"cards": ()}, r"option cards: choose from"),
        ({"back": "answer,colour"}, r"option back: unknown value 'colour'"),
        ({"colour": "red"}, r"takes no option colour \(accepted: back, cards\)"),
    ],
)
def test_bad_options_are_clear_errors(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ExportError, match=message):
        AnkiExporter(**options)


def test_without_a_lock_the_exporter_refuses(corpus: dockerqa.Library) -> None:
    with pytest.raises(ExportError, match="needs the page's lock"):
        AnkiExporter().build(corpus, ExportContext(key="dockerqa"))


def test_a_stale_lock_is_refused(tmp_path: Path) -> None:
    page = story_page(tmp_path, "v1")
    lock = refresh(dockerqa.load(page), page.with_suffix(".lock"), now=T0)
    story_page(tmp_path, "v2")
    with pytest.raises(LockError, match="does not match the library"):
        build(dockerqa.load(page), tmp_path / "deck.apkg", lock=lock)
    with pytest.raises(LockError, match=r"deck\.lock is out of date: 1 question changed"):
        refresh(dockerqa.load(page), page.with_suffix(".lock"), now=T0 + 1, locked=True)
    assert not (tmp_path / "deck.apkg").exists()


def test_a_failed_write_leaves_nothing(tmp_path: Path) -> None:
    page = story_page(tmp_path, "v1")
    (tmp_path / "taken").write_text("a file, not a directory")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(ExportError, match=r"taken/deck\.apkg: cannot write"):
        dockerqa.export(page, "anki", tmp_path / "taken" / "deck.apkg", now=T0)
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.suffix != ".lock"}
    assert after == before


# --- reproducible bytes ----------------------------------------------------------------------

_BUILD = """
import shutil, sys
from pathlib import Path
import dockerqa
out = Path(sys.argv[1])
page = out.parent / "src" / "docker.mdx"
page.parent.mkdir()
shutil.copyfile(sys.argv[2], page)
shutil.copyfile(sys.argv[3], page.with_suffix(".lock"))
shutil.copyfile(sys.argv[4], page.with_suffix(".toml"))
dockerqa.export(page, "anki", out, locked=True)
shutil.rmtree(page.parent)
"""


def test_two_fresh_interpreters_build_identical_bytes(tmp_path: Path) -> None:
    digests = []
    for n, (seed, tz) in enumerate((("1", "UTC"), ("4242", "Pacific/Chatham"))):
        out = tmp_path / f"run{n}" / "dockerqa.apkg"
        out.parent.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed, "TZ": tz}
        env.pop("SOURCE_DATE_EPOCH", None)
        corpus = [str(ROOT / "corpus" / f"docker.{x}") for x in ("mdx", "lock", "toml")]
        subprocess.run(
            [sys.executable, "-c", _BUILD, str(out), *corpus], env=env, check=True, timeout=300
        )
        assert [p.name for p in out.parent.iterdir()] == ["dockerqa.apkg"]  # no temp files
        digests.append(hashlib.sha256(out.read_bytes()).hexdigest())
    assert digests[0] == digests[1]
    with zipfile.ZipFile(tmp_path / "run0" / "dockerqa.apkg") as zf:
        infos = zf.infolist()
    assert [i.filename for i in infos] == ["collection.anki2", "media"]
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}


# --- hostile text ----------------------------------------------------------------------------


def test_hostile_text_reaches_no_field_as_live_html(tmp_path: Path) -> None:
    assert live_html("<p><img src=x onerror=alert(1)><a href=' javascript:x'>a</a></p>") == [
        "<img onerror>",
        "<a href= javascript:x>",
    ]  # the detector itself
    lib = dockerqa.load(STORY / "hostile.mdx")
    assert "<script>" in (lib.questions[0].answer or "")
    apkg = build(lib, tmp_path / "hostile.apkg")
    col = open_collection(tmp_path / "c.anki2")
    try:
        import_apkg(col, apkg)
        assert (col.note_count(), col.card_count()) == (1, 3)  # question, follow-up, red flag
        for nid in col.find_notes(""):
            for name, value in col.get_note(nid).items():
                assert live_html(value) == [], (name, value)
        for _, question, answer in rendered(col):
            assert live_html(question) == [] and live_html(answer) == []
            assert "alert(" in answer  # the text is shown, as text
        # the deck description (from metadata) is escaped too
        for deck in col.decks.all():
            assert live_html(deck.get("desc", "")) == []
    finally:
        col.close()


# --- the update story ------------------------------------------------------------------------


def _sched(col: Collection) -> dict[int, tuple[int, int, int, int, int]]:
    return {
        cid: (c.ivl, c.due, c.queue, c.type, c.reps)
        for cid in col.find_cards("")
        for c in [col.get_card(cid)]
    }


def _release(way: str, page: Path, out: Path, now: int) -> Path:
    """Build a release the way a learner's source would: CLI, API with a path, API with a
    loaded library and its lock file."""
    if way == "cli":
        result = run_cli(
            "export", "anki", "--source", str(page), "--out", str(out),
            env={"SOURCE_DATE_EPOCH": str(now)},
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
    elif way == "api-path":
        dockerqa.export(page, "anki", out, now=now)
    else:
        dockerqa.export(dockerqa.load(page), "anki", out, lock=page.with_suffix(".lock"), now=now)
    return out


@pytest.mark.parametrize("way", ["cli", "api-path", "api-library"])
def test_update_story(tmp_path: Path, way: str) -> None:
    page = story_page(tmp_path, "v1")

    # release 1: build, import, study, edit a note
    v1 = _release(way, page, tmp_path / "v1.apkg", T0)
    col = open_collection(tmp_path / "collection.anki2")
    try:
        log1 = import_apkg(col, v1, with_scheduling=True)
        notes_v1 = col.note_count()
        assert len(log1.new) == notes_v1 == 5
        for cid in col.find_cards("")[:4]:
            card = col.get_card(cid)
            card.start_timer()
            col.sched.answerCard(card, 3)
        (edited,) = col.find_notes('"Id:basics/image-vs-container"')
        note = col.get_note(edited)
        note["Answer"] += "<p>My mnemonic: image = class, container = object.</p>"
        col.update_note(note)
        # the engine may back-fill a card's last review time on its first check; do that now,
        # so the check after the update sees only what the import did
        col._backend.check_database()
        sched_before = _sched(col)
        revlog_before = col.db.scalar("select count() from revlog")
        assert revlog_before == 4

        # release 2: edit one answer, rename one question, add one, remove one
        story_page(tmp_path, "v2")
        v2 = _release(way, page, tmp_path / "v2.apkg", T0 + 86_400)
        lock2 = dockerqa.lock.read_lock(page.with_suffix(".lock"))
        assert len(lock2.active) == 5 and len(lock2.retired) == 1
        assert lock2.renames() == {
            "basics/persisting-data-between-containers": "basics/volumes-and-bind-mounts"
        }
        log2 = import_apkg(col, v2)  # default options: update notes if newer

        def ids(notes: Any) -> list[str]:
            return sorted(n.fields[0] for n in notes)

        # the same log whichever way the deck was built
        assert ids(log2.new) == ["basics/health-checks"]
        assert ids(log2.updated) == [
            "basics/docker-swarm-basics",  # retired: tag and banner
            "basics/exposing-ports",  # edited answer
            "basics/volumes-and-bind-mounts",  # renamed
        ]
        assert list(log2.conflicting) == []
        # Anki logs existing notes that are not newer as "duplicate": they are skipped, left as
        # they are, and no note is added twice
        assert ids(log2.duplicate) == ["basics/image-vs-container", "scenarios/the-restart-loop"]
        assert col.note_count() == notes_v1 + 1
        guids = [col.get_note(n).guid for n in col.find_notes("")]
        assert len(guids) == len(set(guids))
        ours = {m.id for m in col.models.all_names_and_ids() if m.name.startswith("dockerqa")}
        assert ours == {QUESTION_MODEL_ID}  # no copies

        # updated in place
        (ports,) = col.find_notes('"Id:basics/exposing-ports"')
        ports_note = col.get_note(ports)
        assert "loopback only" in ports_note["Answer"] + ports_note["Details"]
        (renamed,) = col.find_notes('"Id:basics/volumes-and-bind-mounts"')
        assert col.get_note(renamed)["Title"] == "Persisting Data Between Containers"
        # retired, not deleted
        (retired,) = col.find_notes("tag:dockerqa::retired")
        retired_note = col.get_note(retired)
        assert retired_note["Id"] == "basics/docker-swarm-basics"
        retired_card = retired_note.card_ids()[0]
        assert "Retired" in col.get_card(retired_card).render_output().question_text
        # the learner's edit and the review history survive
        assert "My mnemonic" in col.get_note(edited)["Answer"]
        assert col.db.scalar("select count() from revlog") == revlog_before
        after = _sched(col)
        assert {cid: after[cid] for cid in sched_before} == sched_before
        assert list(col._backend.check_database()) == []

        # importing the same release again changes nothing
        log3 = import_apkg(col, v2)
        assert (len(log3.new), len(log3.updated)) == (0, 0)
        assert col.note_count() == notes_v1 + 1
    finally:
        col.close()


def test_a_styling_change_updates_the_note_type(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = story_page(tmp_path, "v1")
    col = open_collection(tmp_path / "c.anki2")
    try:
        import_apkg(col, dockerqa.export(page, "anki", tmp_path / "v1.apkg", now=T0)[0])
        # the next release restyles the cards
        monkeypatch.setattr(notetypes, "CARD_CSS", notetypes.CARD_CSS + "\n/* v2 */")
        notetypes.note_type_fingerprint.cache_clear()
        notetypes._note_type.cache_clear()
        reports: list[str] = []
        dockerqa.export(page, "anki", tmp_path / "v2.apkg", now=T0 + 5, report=reports.append)
        assert reports[0] == f"updated {page.with_suffix('.lock')}: anki exporter state changed"
        state = dockerqa.lock.read_lock(page.with_suffix(".lock")).exporter_state("anki")
        assert state is not None and state["note_types"]["changed"] == T0 + 5
        assert state["fields"]["changed"] == T0  # field layout unchanged: notes stay as they are
        log = import_apkg(col, tmp_path / "v2.apkg")
        assert (len(log.new), len(log.updated), len(log.conflicting)) == (0, 0, 0)
        assert col.models.get(QUESTION_MODEL_ID)["css"].endswith("/* v2 */")
        ours = {m.id for m in col.models.all_names_and_ids() if m.name.startswith("dockerqa")}
        assert ours == {QUESTION_MODEL_ID}
    finally:
        col.close()
        monkeypatch.undo()
        notetypes.note_type_fingerprint.cache_clear()
        notetypes._note_type.cache_clear()


def test_retired_questions_stay_in_whole_sections_only(tmp_path: Path) -> None:
    page = story_page(tmp_path, "v1")
    refresh(dockerqa.load(page), page.with_suffix(".lock"), now=T0)
    story_page(tmp_path, "v2")
    lock = refresh(dockerqa.load(page), page.with_suffix(".lock"), now=T0 + 10)
    lib = apply_renames(dockerqa.load(page), lock)
    cases = (
        (lib, True),
        (lib.filter(section="basics"), True),
        (lib.filter(section="scenarios"), False),
        (lib.filter(tag="networking"), False),  # part of a section only
    )
    for n, (library, expect_retired) in enumerate(cases):
        apkg = build(library, tmp_path / f"f{n}.apkg", lock=lock)
        col = open_collection(tmp_path / f"c{n}.anki2")
        try:
            import_apkg(col, apkg)
            assert bool(col.find_notes("tag:dockerqa::retired")) is expect_retired
            names = {d.name for d in col.decks.all_names_and_ids()}
            # filtered decks keep the numbering of the whole source
            numbered = {
                "Story Deck::01 Basics & Setup",
                "Story Deck::02 Advanced Scenario-Based Questions",
            }
            assert names & numbered and names - {"Default", "Story Deck"} <= numbered
        finally:
            col.close()


def test_a_question_whose_whole_section_left_is_retired_into_the_root_deck(
    tmp_path: Path,
) -> None:
    page = story_page(tmp_path, "v1")
    refresh(dockerqa.load(page), page.with_suffix(".lock"), now=T0)
    text = page.read_text(encoding="utf-8")
    page.write_text(text[: text.index("## Advanced Scenario-Based Questions")], encoding="utf-8")
    lock = refresh(dockerqa.load(page), page.with_suffix(".lock"), now=T0 + 10)
    library = apply_renames(dockerqa.load(page), lock)
    assert [s.id for s in library.sections] == ["basics"]
    apkg = build(library, tmp_path / "d.apkg", lock=lock)
    col = open_collection(tmp_path / "c.anki2")
    try:
        import_apkg(col, apkg)
        retired = col.find_notes("tag:dockerqa::retired")
        assert retired
        decks = {
            col.decks.name(col.get_card(c).did) for n in retired for c in col.card_ids_of_note(n)
        }
        assert decks == {"Story Deck"}
    finally:
        col.close()


# --- Anki's own markup in the source ---------------------------------------------------------

ANKI_MARKUP = """# Markup

## 1. Basics

<AccordionGroup>
  <Accordion title="1. Play [sound:title.mp3] and [$]t^2[/$]">
**Answer:**
Text [sound:answer.mp3] and [latex]\\\\LaTeX[/latex], [$$]x^2[/$$], `[sound:code.mp3]`,
[SOUND:upper.mp3] and [anki:tts lang=en_US]spoken[/anki:tts].

```bash
echo "[sound:block.mp3]" "[latex]y[/latex]"
```

```
plain [$]z[/$]
```

**Red flag answer:** "[sound:red.mp3]"
  </Accordion>
</AccordionGroup>
"""


def test_anki_markup_in_the_source_stays_text_on_the_cards(tmp_path: Path) -> None:
    lib = dockerqa.loads(ANKI_MARKUP, file="markup.mdx")
    apkg = build(lib, tmp_path / "markup.apkg", lock=build_lock(lib, now=T0))
    col = open_collection(tmp_path / "c.anki2")
    try:
        import_apkg(col, apkg)
        assert (col.note_count(), col.card_count()) == (1, 2)  # the question and its red flag
        fields = [v for nid in col.find_notes("") for _, v in col.get_note(nid).items()]
        for value in fields:
            assert not col._backend.extract_latex(text=value, svg=False, expand_clozes=False).latex
            assert col.media.files_in_str(col.models.all()[0]["id"], value) == []
        shown = ""
        for cid in col.find_cards(""):
            out = col.get_card(cid).render_output()
            assert list(out.question_av_tags) == [] and list(out.answer_av_tags) == []
            for side in (out.question_text, out.answer_text):
                assert "<img" not in side and "latex-" not in side and "[anki:play" not in side
            shown += "".join(parse_html(out.answer_text).text)
        for text in ("[sound:answer.mp3]", "[latex]", "[$$]x^2[/$$]", "[sound:code.mp3]",
                     "[sound:block.mp3]", "[$]z[/$]", "[anki:tts lang=en_US]"):  # fmt: skip
            assert text in shown, text
    finally:
        col.close()


def _backs(apkg: Path, tmp_path: Path) -> dict[str, str]:
    col = open_collection(tmp_path / f"{apkg.stem}.anki2")
    try:
        import_apkg(col, apkg)
        out = {}
        for cid in col.find_cards("card:Card"):
            card = col.get_card(cid)
            out[card.note()["Id"]] = card.render_output().answer_text
        return out
    finally:
        col.close()


def test_what_goes_on_the_cards_is_chosen_through_the_cli_and_the_api(tmp_path: Path) -> None:
    page = story_page(tmp_path, "v1")
    qid = "basics/image-vs-container"  # answer, intent, red flag and answered follow-ups
    q = dockerqa.load(page).get(qid)
    assert q.interviewer_intent and q.red_flag and q.answered_follow_ups

    default = _backs(dockerqa.export(page, "anki", tmp_path / "all.apkg", now=T0)[0], tmp_path)
    assert "What interviewers are really testing" in default[qid]
    assert "Red flag answer" not in default[qid]  # it has its own card

    result = run_cli(
        "export", "anki", "--source", str(page), "--out", str(tmp_path / "cli.apkg"),
        "--cards", "main", "--back", "answer,red-flag", env={"SOURCE_DATE_EPOCH": str(T0)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    via_api = dockerqa.export(
        page, "anki", tmp_path / "api.apkg", now=T0, cards=("main",), back=("answer", "red-flag")
    )[0]
    assert (tmp_path / "cli.apkg").read_bytes() == via_api.read_bytes()
    chosen = _backs(via_api, tmp_path)
    back = chosen[qid]
    assert "Red flag answer" in back  # no red-flag card, so the back shows it
    assert "What interviewers are really testing" not in back
    assert "Follow-up chain" not in back
    col = open_collection(tmp_path / "count.anki2")
    try:
        import_apkg(col, via_api)
        assert col.card_count() == col.note_count() == 5  # question cards only
    finally:
        col.close()


_CHAIN_PAGE = """## 1. Basics

<Accordion title="1. Image Layers">
**Answer**: Layers are read-only and shared between images.

**Follow-up chain:**

{items}
</Accordion>
"""
_FOLLOW_UPS = {
    "a": '*"What does copy-on-write mean for a layer?"* (The first write copies the file up.)',
    "b": '*"Why do layer order and caching interact in a Dockerfile?"* (A change busts later '
    "layers.)",
    "c": '*"How would you see which layer made an image large?"* (Use docker history.)',
    "x": '*"Where do the layers of a running container live on disk?"* (Under overlay2.)',
}


def _chain(*keys: str, edit_b: bool = False) -> str:
    items = []
    for n, key in enumerate(keys, 1):
        text = _FOLLOW_UPS[key]
        if edit_b and key == "b":
            text = text.replace("Why do layer order", "Why does layer order")
        items.append(f"{n}. {text}")
    return _CHAIN_PAGE.format(items="\n".join(items))


def test_a_follow_up_keeps_its_card_when_the_chain_changes(tmp_path: Path) -> None:
    """Inserting, reordering and rewording follow-ups upstream never moves a learner's review
    history onto another follow-up's card: the lock keeps each follow-up's slot."""
    page = tmp_path / "layers.mdx"
    page.write_text(_chain("a", "b", "c"), encoding="utf-8")
    col = open_collection(tmp_path / "c.anki2")
    try:
        import_apkg(col, dockerqa.export(page, "anki", tmp_path / "v1.apkg", now=T0)[0])

        def card_asking(words: str) -> int:
            found = [
                cid
                for cid in col.find_cards('"card:Follow-up*"')
                if words in col.get_card(cid).render_output().question_text
            ]
            assert len(found) == 1, (words, found)
            return found[0]

        reviewed = card_asking("layer order and caching")
        card = col.get_card(reviewed)
        card.start_timer()
        col.sched.answerCard(card, 3)

        # upstream: a new follow-up first, the others reordered, b reworded
        page.write_text(_chain("x", "c", "b", "a", edit_b=True), encoding="utf-8")
        log = import_apkg(col, dockerqa.export(page, "anki", tmp_path / "v2.apkg", now=T0 + 9)[0])
        assert (len(log.new), len(log.updated)) == (0, 1)
        assert card_asking("Why does layer order and caching") == reviewed  # same card, reviewed
        assert col.get_card(reviewed).reps == 1
        assert card_asking("copy-on-write") != reviewed
        assert len(col.find_cards('"card:Follow-up*"')) == 4  # x gets a card of its own
        assert col.get_card(card_asking("running container")).reps == 0
    finally:
        col.close()


def test_no_room_for_the_collection_is_one_line_and_no_deck(tmp_path: Path) -> None:
    # The collection is built in a temporary file: a full TMPDIR is an error naming it.
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    small = tmp_path / "small"
    small.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(small)])
    if mounted.returncode != 0:
        pytest.skip("this machine cannot mount a tmpfs")
    try:
        page = tmp_path / "docker.mdx"
        for name in ("docker.mdx", "docker.toml", "docker.lock"):
            shutil.copyfile(ROOT / "corpus" / name, tmp_path / name)
        out = tmp_path / "deck.apkg"
        result = run_cli(
            "export", "anki", "--source", str(page), "--out", str(out), env={"TMPDIR": str(small)}
        )
        assert result.returncode == 1
        assert result.stderr == (
            f"dockerqa: error: {small}: cannot build the Anki collection in a temporary file: "
            "database or disk is full (TMPDIR chooses another directory)\n"
        )
        assert not out.exists() and os.listdir(small) == []
    finally:
        subprocess.run(["umount", str(small)], check=True)


def test_upgrading_from_the_last_release_keeps_reviews_and_shows_the_new_cards(
    tmp_path: Path,
) -> None:
    # The last release's deck (0.2's dist/dockerqa.apkg), studied, then this release's deck
    # imported with the options README gives (Anki's defaults: nothing to tick).
    col = open_collection(tmp_path / "c.anki2")
    try:
        first = import_apkg(col, FIXTURES / "anki" / "dockerqa-0.2.apkg")
        assert (len(first.new), col.card_count()) == (CORPUS_NOTES, CORPUS_CARDS)
        (nid,) = col.find_notes('"Id:fundamentals/vm-vs-container"')
        reviewed = col.get_note(nid).card_ids()
        for cid in reviewed:
            card = col.get_card(cid)
            card.start_timer()
            col.sched.answerCard(card, 3)
        before = _sched(col)
        revlog = col.db.scalar("select count() from revlog")
        assert revlog == len(reviewed)

        (deck,) = dockerqa.export(
            dockerqa.load(), "anki", tmp_path / "new.apkg", lock=ROOT / "corpus" / "docker.lock",
            locked=True,
        )  # fmt: skip
        log = import_apkg(col, deck)
        col.models._clear_cache()  # the Python side caches note types; the app reloads them
        assert (len(log.new), len(log.conflicting), len(log.duplicate)) == (0, 0, 0)
        assert len(log.updated) == CORPUS_NOTES  # every note takes the new fronts and backs
        assert (col.note_count(), col.card_count()) == (CORPUS_NOTES, CORPUS_CARDS)
        ours = [m for m in col.models.all_names_and_ids() if m.name.startswith("dockerqa")]
        assert [m.id for m in ours] == [QUESTION_MODEL_ID]  # no copy of the note type
        assert "pre-wrap" in col.models.get(QUESTION_MODEL_ID)["css"]  # its new style came too
        assert col.db.scalar("select count() from revlog") == revlog
        assert _sched(col) == before  # every card keeps its schedule, reviewed or not
        assert list(col._backend.check_database()) == []
        # the reviewed note shows this release's cards
        sides = {
            col.get_card(cid).template()["name"]: col.get_card(cid).render_output()
            for cid in reviewed
        }
        assert "How does a container differ from a virtual machine?" in (
            sides["Card"].question_text
        )
        assert "How does a container differ from a virtual machine?" in (
            sides["Red flag"].question_text
        )
        assert notetypes.RED_FLAG_ASK in sides["Red flag"].question_text
    finally:
        col.close()


def test_a_rewritten_front_reaches_the_learners_card(tmp_path: Path) -> None:
    # A written front is part of what the question shows: editing it marks the question
    # changed in the lock, so its note is newer and Anki's default import updates it (only it).
    page = corpus_copy(tmp_path)
    col = open_collection(tmp_path / "c.anki2")
    try:
        (v1,) = dockerqa.export(page, "anki", tmp_path / "v1.apkg")
        import_apkg(col, v1)
        old = "How does a container differ from a virtual machine?"
        new = "Where does a container's isolation end, compared with a virtual machine's?"
        toml = page.with_suffix(".toml")
        toml.write_text(toml.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        lock = dockerqa.lock.read_lock(page.with_suffix(".lock"))
        entry = lock.entry("fundamentals/vm-vs-container")
        assert entry is not None
        # later than anything the first deck was stamped with (the question, the field rules)
        later = max(entry.changed, lock.exporters["anki"]["fields"]["changed"]) + 60
        (v2,) = dockerqa.export(page, "anki", tmp_path / "v2.apkg", now=later)
        log = import_apkg(col, v2)
        assert (len(log.new), len(log.updated), len(log.conflicting)) == (0, 1, 0)
        (nid,) = col.find_notes('"Id:fundamentals/vm-vs-container"')
        assert new in col.get_note(nid)["Prompt"]
    finally:
        col.close()


# --- table-row cards (opt-in) ----------------------------------------------------------------

ROW_CARDS = "main,follow-up,red-flag,table-row"
CORPUS_ROWS = 22  # rows of the corpus's four comparison tables


def _row_cards(col: Collection, qid: str) -> dict[str, int]:
    """Card id of each table-row card of question ``qid``, by the feature its front asks."""
    found = {}
    for cid in col.find_cards(f'"note:{notetypes.ROW_NOTE_TYPE_NAME}" "Question id:{qid}"'):
        front = col.get_card(cid).render_output().question_text
        ask = re.search(r"<div class=dq-front-ask>(.*?)</div>", front)
        assert ask is not None, front
        found[ask.group(1).split(":", 1)[0]] = cid
    return found


def test_table_row_cards_are_off_by_default(corpus_import: tuple[Collection, Any]) -> None:
    col, _ = corpus_import
    assert col.models.get(notetypes.ROW_MODEL_ID) is None
    assert col.find_notes("tag:dockerqa::type::table-row") == []


def test_the_rows_of_vm_vs_container_are_cards_of_their_own(tmp_path: Path) -> None:
    out = tmp_path / "rows.apkg"
    done = run_cli("export", "anki", "--cards", ROW_CARDS, "--locked", "--out", str(out))
    assert done.returncode == 0, done.stderr
    col = open_collection(tmp_path / "c.anki2")
    try:
        log = import_apkg(col, out)
        assert (len(log.new), col.card_count()) == (CORPUS_NOTES + CORPUS_ROWS, CORPUS_CARDS + 22)
        assert list(col._backend.check_database()) == []
        model = col.models.get(notetypes.ROW_MODEL_ID)
        assert model is not None and model["name"] == "dockerqa Table row"
        assert [f["name"] for f in model["flds"]] == list(notetypes.ROW_FIELDS)
        cards = _row_cards(col, "fundamentals/vm-vs-container")
        assert set(cards) == {
            "Virtualization level", "Isolation mechanism", "Guest OS", "Size", "Boot time",
            "Density", "Security isolation",
        }  # fmt: skip
        card = col.get_card(cards["Boot time"])
        out_ = card.render_output()
        front = parse_html(out_.question_text)
        shown = " ".join("".join(front.text).split())
        assert shown == (
            "Fundamentals & Architecture · Basic · Question · Table row VM vs Container "
            "Boot time: Virtual Machine vs Container?"
        )
        back = out_.answer_text.split("<hr id=answer>", 1)[1]
        assert re.findall(r"<div class=dq-label>(.*?)</div>([^<]*)</div>", back) == [
            ("Virtual Machine", "30 seconds to several minutes"),
            ("Container", "Milliseconds to a few seconds"),
        ]
        assert "problem" not in out_.answer_text and live_html(out_.answer_text) == []
        note = card.note()
        assert note["Question id"] == "fundamentals/vm-vs-container"
        assert "dockerqa::type::table-row" in note.tags
        assert "dockerqa::section::fundamentals" in note.tags
        assert col.decks.name(card.did) == (
            "Docker Interview Questions::01 Fundamentals & Architecture"
        )
        # inline code in a cell stays code: `ARG` vs `ENV`
        (arg,) = [
            c
            for name, c in _row_cards(col, "best-practices/arg-vs-env").items()
            if name == "Override at build"
        ]
        arg_out = col.get_card(arg).render_output()
        assert "<code>ARG</code> vs <code>ENV</code>?" in arg_out.question_text
        assert "<code>--build-arg KEY=value</code>" in arg_out.answer_text.replace(
            "<span class=dq-nobr>", ""
        ).replace("</span>", "")
    finally:
        col.close()


def _reword_and_move_boot_time(page: Path) -> None:
    """The Boot time row reworded in its Container cell and moved to the top of its table."""
    lines = page.read_text(encoding="utf-8").split("\n")
    (i,) = [n for n, line in enumerate(lines) if "| **Boot time**" in line]
    row = lines.pop(i).replace("Milliseconds to a few seconds", "Well under a second, often")
    (sep,) = [n for n, line in enumerate(lines[:i]) if line.strip().startswith("| :---")]
    lines.insert(sep + 1, row)
    page.write_text("\n".join(lines), encoding="utf-8")


def test_upgrading_from_the_last_release_with_table_rows_keeps_reviews(tmp_path: Path) -> None:
    # 0.2's deck, studied; then this release's deck with table-row cards, imported with the
    # options README gives (Anki's defaults); then a rebuild whose Boot time row is reworded
    # and moved: its card is updated in place and keeps its review.
    page = corpus_copy(tmp_path)
    col = open_collection(tmp_path / "c.anki2")
    try:
        import_apkg(col, FIXTURES / "anki" / "dockerqa-0.2.apkg")
        (nid,) = col.find_notes('"Id:fundamentals/vm-vs-container"')
        for cid in col.get_note(nid).card_ids():
            card = col.get_card(cid)
            card.start_timer()
            col.sched.answerCard(card, 3)
        before = _sched(col)

        (v1,) = dockerqa.export(page, "anki", tmp_path / "v1.apkg", locked=True, cards=ROW_CARDS)
        log = import_apkg(col, v1)
        col.models._clear_cache()
        assert (len(log.new), len(log.updated)) == (CORPUS_ROWS, CORPUS_NOTES)
        assert (len(log.conflicting), len(log.duplicate)) == (0, 0)
        ours = sorted(m.id for m in col.models.all_names_and_ids() if m.name.startswith("dockerqa"))
        assert ours == [QUESTION_MODEL_ID, notetypes.ROW_MODEL_ID]  # no copy, one new type
        assert (col.note_count(), col.card_count()) == (
            CORPUS_NOTES + CORPUS_ROWS,
            CORPUS_CARDS + CORPUS_ROWS,
        )
        after = _sched(col)
        assert {cid: after[cid] for cid in before} == before  # every old card keeps its schedule
        guids = [col.get_note(n).guid for n in col.find_notes("")]
        assert len(guids) == len(set(guids))
        assert list(col._backend.check_database()) == []

        rows = _row_cards(col, "fundamentals/vm-vs-container")
        boot = col.get_card(rows["Boot time"])
        boot.start_timer()
        col.sched.answerCard(boot, 3)
        col._backend.check_database()
        reviewed = _sched(col)
        revlog = col.db.scalar("select count() from revlog")

        _reword_and_move_boot_time(page)
        lock = dockerqa.lock.read_lock(page.with_suffix(".lock"))
        entry = lock.entry("fundamentals/vm-vs-container")
        assert entry is not None
        later = max(entry.changed, lock.exporters["anki"]["fields"]["changed"]) + 60
        v2 = tmp_path / "v2.apkg"
        done = run_cli(
            "export", "anki", "--source", str(page), "--cards", ROW_CARDS, "--out", str(v2),
            env={"SOURCE_DATE_EPOCH": str(later)},
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        log = import_apkg(col, v2)
        assert (len(log.new), len(log.conflicting)) == (0, 0)
        # the question and its row notes carry the question's new time: updated in place
        updated = [n.fields[0] for n in log.updated]
        assert len(updated) == 1 + 7 and "fundamentals/vm-vs-container" in updated
        assert col.note_count() == CORPUS_NOTES + CORPUS_ROWS  # nothing duplicated
        rows_after = _row_cards(col, "fundamentals/vm-vs-container")
        assert rows_after["Boot time"] == boot.id  # the same card
        text = col.get_card(boot.id).render_output().answer_text
        assert "Well under a second, often" in text and "Milliseconds" not in text
        assert col.get_card(boot.id).reps == 1
        assert col.db.scalar("select count() from revlog") == revlog
        assert _sched(col) == reviewed

        # the feature itself reworded: the lock keeps the row's key, so the card stays
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("| **Boot time**   ", "| **Startup time**"), encoding="utf-8")
        v3 = tmp_path / "v3.apkg"
        done = run_cli(
            "export", "anki", "--source", str(page), "--cards", ROW_CARDS, "--out", str(v3),
            env={"SOURCE_DATE_EPOCH": str(entry.changed + 120)},
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        log = import_apkg(col, v3)
        assert (len(log.new), len(log.conflicting), len(log.updated)) == (0, 0, 1 + 7)
        rows_after = _row_cards(col, "fundamentals/vm-vs-container")
        assert "Boot time" not in rows_after and rows_after["Startup time"] == boot.id
        assert col.get_card(boot.id).reps == 1
        assert col.note_count() == CORPUS_NOTES + CORPUS_ROWS
        assert _sched(col) == reviewed
    finally:
        col.close()


def test_a_deck_with_table_rows_is_the_same_bytes_in_any_interpreter(tmp_path: Path) -> None:
    first = fresh_export("anki", tmp_path / "a.apkg", "1", "--cards", ROW_CARDS)
    second = fresh_export("anki", tmp_path / "b.apkg", "4242", "--cards", ROW_CARDS)
    assert first == second and first != (ROOT / "dist" / "dockerqa.apkg").read_bytes()


def test_the_table_row_note_type_is_pinned_to_the_time_it_last_changed() -> None:
    # Changing the row note type's fields, template or CSS changes this fingerprint: raise
    # notetypes.ROW_NOTE_TYPE_CHANGED with it, then update both here.
    assert (notetypes.row_note_type_fingerprint(), notetypes.ROW_NOTE_TYPE_CHANGED) == (
        "227668d52a4aa2b8",
        1_796_559_894,
    )


def test_a_restyled_table_row_note_type_reaches_the_learner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = corpus_copy(tmp_path)
    col = open_collection(tmp_path / "c.anki2")
    try:
        (v1,) = dockerqa.export(page, "anki", tmp_path / "v1.apkg", cards="table-row")
        import_apkg(col, v1)
        # stamped with the later of its own change and the question type's (whose style sheet
        # it shares)
        mod = col.models.get(notetypes.ROW_MODEL_ID)["mod"]
        state = dockerqa.lock.read_lock(tmp_path / "docker.lock").exporters["anki"]
        assert mod == max(notetypes.ROW_NOTE_TYPE_CHANGED, state["note_types"]["changed"])
        monkeypatch.setattr(notetypes, "ROW_CSS", notetypes.ROW_CSS + "\n/* v2 */")
        monkeypatch.setattr(notetypes, "ROW_NOTE_TYPE_CHANGED", mod + 1)
        notetypes._row_note_type.cache_clear()
        (v2,) = dockerqa.export(page, "anki", tmp_path / "v2.apkg", cards="table-row")
        log = import_apkg(col, v2)
        col.models._clear_cache()
        assert (len(log.new), len(log.updated), len(log.conflicting)) == (0, 0, 0)
        assert col.models.get(notetypes.ROW_MODEL_ID)["css"].endswith("/* v2 */")
    finally:
        col.close()
        monkeypatch.undo()
        notetypes._row_note_type.cache_clear()


def _fields_digest(apkg: Path) -> str:
    """One digest of every note's fields in a package, in GUID order."""
    import sqlite3
    import tempfile

    with zipfile.ZipFile(apkg) as package, tempfile.TemporaryDirectory() as scratch:
        package.extract("collection.anki2", scratch)
        db = sqlite3.connect(Path(scratch) / "collection.anki2")
        try:
            rows = db.execute("select guid, flds from notes order by guid").fetchall()
        finally:
            db.close()
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


def test_the_corpus_field_html_is_pinned_to_fields_version(corpus_apkg: Path) -> None:
    # A note reaches learners who imported an earlier deck only with a newer mod: when the same
    # corpus gives other field HTML on purpose, raise notetypes.FIELDS_VERSION (every note gets a
    # newer mod with the next export), then update both values here.
    assert (_fields_digest(corpus_apkg), notetypes.FIELDS_VERSION) == ("8f4c71bf73b82d6c", 4)


# --- --tag takes every tag a card carries ------------------------------------------------------


def _listed(*args: str) -> list[str]:
    result = run_cli("list", *args)
    assert result.returncode == 0, result.stderr
    return [line.split()[0] for line in result.stdout.splitlines()]


def test_every_tag_of_the_deck_and_the_csv_selects_the_questions_that_carry_it(
    tmp_path: Path,
) -> None:
    """What README promises: any card tag in the form Anki shows works with ``--tag``, and
    selects exactly the questions whose notes (deck) or cards (CSV) carry it."""
    page = corpus_copy(tmp_path / "page")
    apkg, csv_file = tmp_path / "all.apkg", tmp_path / "all.csv"
    cards = "main,follow-up,red-flag,table-row"
    for args in (
        ("anki", "--cards", cards, "--out", str(apkg)),
        ("csv", "--plain", "--out", str(csv_file)),
    ):
        done = run_cli("export", *args[:1], "--source", str(page), *args[1:])
        assert done.returncode == 0, done.stderr
    carriers: dict[str, set[str]] = {}
    col = open_collection(tmp_path / "c.anki2")
    try:
        import_apkg(col, apkg)
        for nid in col.find_notes(""):
            note = col.get_note(nid)
            qid = note["Id"] if "Id" in note else note["Question id"]
            for tag in note.tags:
                carriers.setdefault(tag, set()).add(re.sub(r"<[^>]+>", "", qid))
    finally:
        col.close()
    import csv

    with csv_file.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):  # the plain CSV: one row per card, the same tags
            for tag in row["tags"].split():
                carriers.setdefault(tag, set()).add(row["id"].split("#")[0])
    types = {t for t in carriers if t.startswith("dockerqa::type::")}
    assert types == {f"dockerqa::type::{t}" for t in ("main", "follow-up", "red-flag", "table-row")}
    for tag, ids in sorted(carriers.items()):
        assert set(_listed("--source", str(page), "--tag", tag)) == ids, tag
        if "::type::" in tag:  # any case, as for every tag
            assert set(_listed("--source", str(page), "--tag", tag.upper())) == ids, tag
    everything = set(_listed("--source", str(page)))
    assert set(_listed("--source", str(page), "--tag", "dockerqa::type")) == everything


def test_a_kind_is_taken_with_a_hyphen_or_an_underscore() -> None:
    work = _listed("--kind", "work_sample")
    assert len(work) == 4
    assert _listed("--kind", "work-sample") == work
    assert _listed("--tag", "dockerqa::kind::work-sample") == work
    assert _listed("--kind", "Work-Sample") == work  # in any case, as --tag
    assert _listed("--tag", "dockerqa::kind::work_sample") == work
    assert [q.id for q in dockerqa.load().filter(kind="work-sample")] == work


def test_the_retired_tag_says_where_it_is() -> None:
    """Only notes of questions that left the page carry it: none of the page's questions."""
    result = run_cli("list", "--tag", "dockerqa::retired")
    assert result.returncode == 1
    assert result.stderr.startswith(
        "dockerqa: error: no question has the tag 'dockerqa::retired' (it marks the notes of "
        "questions that left the page"
    ), result.stderr
