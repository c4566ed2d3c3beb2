"""The Docker page's eight published versions, in order, as a learner received them.

Each version goes through the real export (the lock carried along) and into one real Anki
collection with Anki's update rules, every new card studied in between; then the same through
the drill store. Nothing was removed from the page in its history, and five questions were
retitled (see ``fixtures/history/README.md``): every question must keep its note and its
reviews from the version it first appeared in.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageOptions

import dockerqa
from conftest import FIXTURES, ROOT
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
#: (new, updated, unchanged) notes of each version's import: what the lock calls added,
#: changed + renamed, and the rest (Anki's log calls an unchanged note a "duplicate").
IMPORTS = [(50, 0, 0), (20, 2, 48), (8, 23, 47), (0, 21, 57), (0, 5, 73), (0, 1, 77),
           (10, 23, 55), (0, 4, 84)]  # fmt: skip


def test_the_history_is_all_there() -> None:
    assert [p.name.split("-")[0] for p in VERSIONS] == [f"v{n}" for n in range(1, 9)]
    assert (FIXTURES / "history" / "README.md").is_file()


def _page(tmp_path: Path) -> Path:
    page = tmp_path / "docker.mdx"
    shutil.copyfile(ROOT / "corpus" / "docker.toml", page.with_suffix(".toml"))
    return page


def _study_new_cards(col: Collection) -> None:
    for cid in col.find_cards("is:new"):
        card = col.get_card(cid)
        card.start_timer()
        col.sched.answerCard(card, 3)


def test_a_learner_who_followed_the_page_keeps_every_note_and_review(tmp_path: Path) -> None:
    page = _page(tmp_path)
    col = Collection(str(tmp_path / "c.anki2"))
    imports: list[tuple[int, int, int]] = []
    decisions: list[str] = []
    first_note: dict[str, int] = {}  # kept id → the note it got when it first appeared
    try:
        for n, version in enumerate(VERSIONS):
            shutil.copyfile(version, page)
            apkg = tmp_path / f"{version.stem}.apkg"
            dockerqa.export(page, "anki", apkg, now=T0 + n * DAY, explain=decisions.append)
            request = ImportAnkiPackageRequest(
                package_path=str(apkg), options=ImportAnkiPackageOptions(with_scheduling=True)
            )
            log = col.import_anki_package(request).log
            imports.append((len(log.new), len(log.updated), len(log.duplicate)))
            for nid in col.find_notes("Id:_*"):
                first_note.setdefault(col.get_note(nid)["Id"], nid)
            _study_new_cards(col)

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
        assert [d for d in decisions if not d.startswith("new question ")] == [
            f'kept {kept} for "{title}": {why}'
            for (_, kept, title), why in zip(
                RETITLES,
                [
                    "title contains the old one, same section, 100% of the old answer kept",
                    "title contains the old one, same section, 100% of the old answer kept",
                    "title shares 67% of its words, same section, 88% of the old answer kept",
                    "title contains the old one, same section, 94% of the old answer kept",
                    "title contains the old one, same section, 70% of the old answer kept",
                ],
                strict=True,
            )
        ]
        assert len([d for d in decisions if d.startswith("new question ")]) == 88 - 50
        assert imports == IMPORTS
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
