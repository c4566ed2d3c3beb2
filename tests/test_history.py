"""The Docker page's eight published versions, in order, as a learner received them.

Each version goes through the real export (the lock carried along) and into one real Anki
collection with Anki's update rules, every new card studied in between; then the same through
the drill store. Nothing was removed from the page in its history, and five questions were
retitled (see ``fixtures/history/README.md``): every question must keep its note and its
reviews from the version it first appeared in.
"""

from __future__ import annotations

import shutil
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from anki.collection import Collection

import dockerqa
from conftest import FIXTURES, ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import history_import

from dockerqa.identity import apply_renames
from dockerqa.lock import read_lock

VERSIONS = sorted((FIXTURES / "history" / "docker").glob("v*.mdx"))
T0 = 1_770_000_000  # February 2026
DAY = 86_400
#: The five retitles of the page's history: (version, id kept, new title).
RETITLES = [
    ("v7", "advanced/apparmor-profiles", "Seccomp and AppArmor — Runtime Security Profiles"),
    ("v7", "advanced/buildkit-cache-mounts", "BuildKit Deep Dive — Cache Mounts, Secrets, and SSH"),
    ("v7", "advanced/docker-content-trust", "Image Signing — Content Trust, Cosign, and Notation"),
    ("v7", "advanced/user-namespaces", "Rootless Containers and User Namespaces"),
    ("v8", "troubleshooting/oomkilled", "OOMKilled (Exit Code 137)"),
]
#: Each version's import (``scripts/history_import.py``): notes in the deck, new, updated and
#: unchanged notes (what Anki's log says), retired and duplicate notes in the collection, and
#: the cards studied before that kept their reviews, of those studied before.
IMPORTS = [
    "| v1 | 50 | 50 | 0 | 0 | 0 | 0 | 0 of 0 |",
    "| v2 | 70 | 20 | 2 | 48 | 0 | 0 | 50 of 50 |",
    "| v3 | 78 | 8 | 23 | 47 | 0 | 0 | 70 of 70 |",
    "| v4 | 78 | 0 | 21 | 57 | 0 | 0 | 90 of 90 |",
    "| v5 | 78 | 0 | 5 | 73 | 0 | 0 | 90 of 90 |",
    "| v6 | 78 | 0 | 1 | 77 | 0 | 0 | 107 of 107 |",
    "| v7 | 88 | 10 | 23 | 55 | 0 | 0 | 107 of 107 |",
    "| v8 | 88 | 0 | 4 | 84 | 0 | 0 | 175 of 175 |",
]


def test_the_history_is_all_there() -> None:
    assert [p.name.split("-")[0] for p in VERSIONS] == [f"v{n}" for n in range(1, 9)]
    assert (FIXTURES / "history" / "README.md").is_file()


def _page(tmp_path: Path) -> Path:
    page = tmp_path / "docker.mdx"
    shutil.copyfile(ROOT / "corpus" / "docker.toml", page.with_suffix(".toml"))
    return page


def test_a_learner_who_followed_the_page_keeps_every_note_and_review(tmp_path: Path) -> None:
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        results = history_import.follow(VERSIONS, tmp_path, ROOT / "corpus" / "docker.toml", col)
        first_note: dict[str, int] = {}  # kept id → the note it got when it first appeared
        for r in results:
            for id, nid in r.notes.items():
                first_note.setdefault(id, nid)
        page = tmp_path / "docker.mdx"
        lock = read_lock(page.with_suffix(".lock"))
        final = apply_renames(dockerqa.load(page), lock)
        assert len(final.questions) == 88 and not lock.retired
        notes = {col.get_note(nid)["Id"]: nid for nid in col.find_notes("Id:_*")}
        assert sorted(notes) == sorted(q.id for q in final)  # no duplicate, nothing retired
        for q in final:
            assert notes[q.id] == first_note[q.id], q.id  # the note of its first version
            cards = col.get_note(notes[q.id]).card_ids()
            reviewed = col.db.scalar(
                f"select count() from revlog where cid in ({','.join(map(str, cards))})"
            )
            assert reviewed >= 1, q.id
        for _, kept, title in RETITLES:
            assert final.get(kept).title == title
            assert col.get_note(notes[kept])["Id"] == kept
        decisions = [(r.version, d) for r in results for d in r.decisions]
        assert [(v, d) for v, d in decisions if not d.startswith("new question ")] == [
            (version, f'kept {kept} for "{title}": {why}')
            for (version, kept, title), why in zip(
                RETITLES,
                [
                    # the four retitled in v7 stand side by side: the middle two's
                    # neighbours both changed, so only their number says they stayed
                    "title contains the old one, same place, 100% of the old answer kept",
                    "title contains the old one, same place, 100% of the old answer kept",
                    "title shares 67% of its words, same section and number, 88% of the old "
                    "answer kept",
                    "title contains the old one, same section and number, 94% of the old answer "
                    "kept",
                    "title contains the old one, same place, 70% of the old answer kept",
                ],
                strict=True,
            )
        ]
        assert len([d for _, d in decisions if d.startswith("new question ")]) == 88 - 50
        assert [r.row() for r in results] == IMPORTS
        # README's example of the printed decisions is this history's own output
        readme = (ROOT / "README.md").read_text(encoding="utf-8")
        example = readme.split("lines the page's own history gives", 1)[1].split("```")[1]
        shown = set(example.strip().splitlines())
        assert len(shown) == 3 and shown <= {d for _, d in decisions}
    finally:
        col.close()


def test_a_drill_through_the_history_keeps_every_question_s_reviews(tmp_path: Path) -> None:
    page = _page(tmp_path)
    start = datetime.fromtimestamp(T0, UTC)
    first_seen: dict[str, datetime] = {}
    with dockerqa.Store(tmp_path / "drill.sqlite3") as store:
        for n, version in enumerate(VERSIONS):
            shutil.copyfile(version, page)
            now = start + timedelta(days=n)
            drill = dockerqa.Drill.open(page, store, now=now)
            for turn in drill.plan(new=1000):
                if turn.new:
                    first_seen[turn.question.id] = now
                    for item in turn.items:
                        drill.rate(item, 3)
        final = drill.library
        assert len(final.questions) == 88
        log = store.reviews(drill.key)
        asked = {r.question for r in log}
        assert asked == {q.id for q in final}  # no question left behind, none retired
        retitled = {kept for _, kept, _ in RETITLES}
        for q in final:
            first = min(r.reviewed for r in log if r.question == q.id and r.slot == 0)
            assert first == first_seen[q.id], q.id  # asked as new once, never again
        for _, kept, title in RETITLES:
            assert final.get(kept).title == title
            assert first_seen[kept] < start + timedelta(days=6)  # from v1–v6, not v7 or v8
        assert len(retitled) == 5


def test_the_script_prints_the_import_of_each_version(capsys: pytest.CaptureFixture[str]) -> None:
    meta = ROOT / "corpus" / "docker.toml"
    assert history_import.main([*map(str, VERSIONS[:2]), "--meta", str(meta)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:4] == [*history_import.HEADER.splitlines(), *IMPORTS[:2]]
    assert len(lines) == 4 + 20  # and the 20 questions v2 added, one line each
    assert all(line.startswith("v2: new question ") for line in lines[4:])
