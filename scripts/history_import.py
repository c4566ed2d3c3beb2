"""Follow a page through its published versions as a learner would, in one real Anki collection.

Each version (oldest first) is exported with ``dockerqa export anki`` (through the API, the
lock carried along beside a copy of the page), imported into one collection with the official
``anki`` package and Anki's update rules, and every new card is studied once before the next
version. Prints, per version, what the import did and what the collection then holds:

* ``deck``: notes in the package; ``new``, ``updated``, ``unchanged``: what Anki's import log
  says of them (Anki calls an unchanged note a "duplicate");
* ``retired``: notes in the collection tagged ``dockerqa::retired`` (questions gone from the
  page); ``duplicates``: notes beyond the first of a question id (two notes of one question);
* ``reviews kept``: cards studied before this version that still have their reviews, on a
  note of a question the page still has, out of those studied before;
* the lock's identity decisions of the version (renames, new and retired questions).

Usage: ``python scripts/history_import.py [VERSION.mdx ...] [--meta NAME.toml]``
(default: the Docker page's eight versions in ``tests/fixtures/history/docker/`` with the
corpus metadata).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageOptions

import dockerqa

ROOT = Path(__file__).resolve().parent.parent
HISTORY = ROOT / "tests" / "fixtures" / "history" / "docker"
#: The first version's export time; each next version is a day later.
T0 = 1_770_000_000
DAY = 86_400


@dataclass
class VersionImport:
    """What importing one version did to the collection."""

    version: str
    deck: int
    new: int
    updated: int
    unchanged: int
    retired: int
    duplicates: int
    reviewed_before: int
    reviews_kept: int
    decisions: list[str] = field(default_factory=list)
    notes: dict[str, int] = field(default_factory=dict)
    """The collection's notes after the import: question id → note id."""

    def row(self) -> str:
        kept = f"{self.reviews_kept} of {self.reviewed_before}"
        return (
            f"| {self.version} | {self.deck} | {self.new} | {self.updated} | {self.unchanged} "
            f"| {self.retired} | {self.duplicates} | {kept} |"
        )


HEADER = (
    "| version | deck | new | updated | unchanged | retired | duplicates | reviews kept |\n"
    "|---|---|---|---|---|---|---|---|"
)


def _reviewed(col: Collection) -> set[int]:
    return set(col.db.list("select distinct cid from revlog"))


def _study_new_cards(col: Collection) -> None:
    for cid in col.find_cards("is:new"):
        card = col.get_card(cid)
        card.start_timer()
        col.sched.answerCard(card, 3)


def follow(
    versions: list[Path], workdir: Path, meta: Path | None, col: Collection
) -> list[VersionImport]:
    """Export each of ``versions`` in turn from one page copy in ``workdir`` and import it into
    ``col``, studying new cards in between; one `VersionImport` per version."""
    page = workdir / "docker.mdx"
    if meta is not None:
        shutil.copyfile(meta, page.with_suffix(".toml"))
    results: list[VersionImport] = []
    for n, version in enumerate(versions):
        shutil.copyfile(version, page)
        decisions: list[str] = []
        apkg = workdir / f"{version.stem}.apkg"
        dockerqa.export(page, "anki", apkg, now=T0 + n * DAY, explain=decisions.append)
        before = _reviewed(col)
        request = ImportAnkiPackageRequest(
            package_path=str(apkg), options=ImportAnkiPackageOptions(with_scheduling=True)
        )
        log = col.import_anki_package(request).log
        on_page = {q.id for q in dockerqa.pipeline.open_page(page).library}
        notes = {nid: col.get_note(nid)["Id"] for nid in col.find_notes("Id:_*")}
        ids = Counter(notes.values())
        kept = {
            cid
            for cid in before & _reviewed(col)
            if col.db.scalar("select count() from cards where id = ?", cid)
            and col.get_card(cid).note()["Id"] in on_page
        }
        results.append(
            VersionImport(
                version=version.name.split("-")[0],
                deck=len(log.new) + len(log.updated) + len(log.duplicate),
                new=len(log.new),
                updated=len(log.updated),
                unchanged=len(log.duplicate),
                retired=len(col.find_notes("tag:dockerqa::retired")),
                duplicates=sum(c - 1 for c in ids.values()),
                reviewed_before=len(before),
                reviews_kept=len(kept),
                decisions=decisions,
                notes={q: nid for nid, q in sorted(notes.items(), reverse=True)},
            )
        )
        _study_new_cards(col)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("versions", nargs="*", type=Path, help="page versions, oldest first")
    parser.add_argument("--meta", type=Path, help="the page's metadata (NAME.toml)")
    args = parser.parse_args(argv)
    versions = args.versions or sorted(HISTORY.glob("v*.mdx"))
    meta = args.meta if args.versions else (args.meta or ROOT / "corpus" / "docker.toml")
    with tempfile.TemporaryDirectory() as tmp:
        col = Collection(str(Path(tmp) / "collection.anki2"))
        try:
            results = follow(versions, Path(tmp), meta, col)
        finally:
            col.close()
    print(HEADER)
    for r in results:
        print(r.row())
    for r in results:
        for line in r.decisions:
            print(f"{r.version}: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
