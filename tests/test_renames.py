"""Renames: title, place and body containment, one best assignment, printed decisions, and a
person's overrules (`dockerqa lock --rename/--new`)."""

from __future__ import annotations

import itertools
import json
import random
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

import dockerqa
from conftest import FIXTURES, run_cli
from dockerqa import LockError
from dockerqa.identity import (
    BODY_KEPT,
    PLACE_KEPT,
    PLACE_TITLE,
    TITLE_MATCH,
    Signals,
    apply_renames,
    assign,
    body_text,
    signals,
)
from dockerqa.lock import read_lock
from dockerqa.pipeline import open_page, refresh, refresh_lock

T0 = 1_700_000_000
STORY = FIXTURES / "anki"
PORTS = (
    "`-p 8080:80` publishes container port 80 on host port 8080, so `localhost:8080` reaches "
    "the service from the host."
)
SWARM = (
    "Swarm turns several Docker hosts into one cluster with services, replicas and rolling "
    "updates; most teams now choose Kubernetes instead."
)
GROWN = (
    " `EXPOSE` in a Dockerfile only documents the port; nothing is published until `-p` or "
    "`-P` asks for it. With `-P` Docker picks random high ports for every exposed port, which "
    "`docker port` lists. Binding to `127.0.0.1:8080:80` keeps the service off other "
    "interfaces, a common fix when a database was reachable from the whole network. In Compose "
    "the `ports:` key does the same, and `expose:` only documents ports between services on "
    "one network. Firewalls such as ufw are bypassed by Docker's own iptables rules, so a port "
    "published on all interfaces is open even when the firewall says otherwise."
)


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "deck.mdx"
    shutil.copyfile(STORY / "story_v1.mdx", path)
    shutil.copyfile(STORY / "story.toml", path.with_suffix(".toml"))
    refresh(dockerqa.load(path), path.with_suffix(".lock"), now=T0)
    return path


def edit(page: Path, *pairs: tuple[str, str]) -> None:
    text = page.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    page.write_text(text, encoding="utf-8")


def relock(page: Path, **kwargs: object) -> dockerqa.Lock:
    return refresh(dockerqa.load(page), page.with_suffix(".lock"), now=T0 + 100, **kwargs)  # type: ignore[arg-type]


def test_a_retitle_whose_answer_grew_keeps_its_id(page: Path) -> None:
    """The history's case: the old title's words in the new one, the answer grown 4x around
    the old one (body Jaccard near 0, containment near 1)."""
    edit(page, ("2. Exposing Ports", "2. Exposing and Publishing Ports"), (PORTS, PORTS + GROWN))
    lock = relock(page)
    assert lock.changes.renamed == (
        ("basics/exposing-and-publishing-ports", "basics/exposing-ports"),
    )
    assert lock.changes.added == () and lock.changes.retired == ()
    assert lock.decisions() == [
        'kept basics/exposing-ports for "Exposing and Publishing Ports": title contains the old '
        "one, same place, 100% of the old answer kept"
    ]
    kept = apply_renames(dockerqa.load(page), lock).get("basics/exposing-ports")
    assert kept.title == "Exposing and Publishing Ports"


#: An answer written anew: little of any old answer of the story page survives in it.
REWRITTEN = (
    "Start from what the learner will see: run the image, call it from outside, then read "
    "what Docker printed. Walk through each flag you passed and why, what breaks when one is "
    "wrong, and how you would spot that in the logs before anyone files a ticket."
)


@pytest.mark.parametrize(
    ("old", "new", "kept", "title"),
    [  # words added after, before, in the middle; words dropped; case and punctuation
        ("2. Exposing Ports", "2. Exposing Ports (Deep Dive)", "basics/exposing-ports",
         "title contains the old one"),
        ("2. Exposing Ports", "2. Docker Networking: Exposing Ports",
         "basics/exposing-ports", "title contains the old one"),
        ("4. Docker Swarm Basics", "4. Docker Swarm Mode Basics",
         "basics/docker-swarm-basics", "title contains the old one"),
        ("3. Volumes and Bind Mounts", "3. Bind Mounts",
         "basics/volumes-and-bind-mounts", "old title contains the new one"),
        ("4. Docker Swarm Basics", "4. DOCKER-SWARM basics, in practice",
         "basics/docker-swarm-basics", "title contains the old one"),
        ("3. Volumes and Bind Mounts", "3. Volume and Bind Mount Strategies",
         "basics/volumes-and-bind-mounts", "title contains the old one"),  # one or many
    ],
)  # fmt: skip
def test_a_retitle_in_place_keeps_its_id_however_much_its_answer_was_rewritten(
    page: Path, old: str, new: str, kept: str, title: str
) -> None:
    """The title keeps every word of the old one (or the old one keeps every word of the new),
    in the same section: a person sees the same question even when the answer was written
    anew (the real histories: an answer grown from 10 to 600 words keeps a third of them)."""
    text = page.read_text(encoding="utf-8")
    start = text.index(f'<Accordion title="{old}">')
    end = text.index("</Accordion>", start)
    text = text[:start] + f'<Accordion title="{new}">\n**Answer:**\n{REWRITTEN}\n  ' + text[end:]
    page.write_text(text, encoding="utf-8")
    before = read_lock(page.with_suffix(".lock")).entry(kept)
    assert before is not None
    now = next(q for q in dockerqa.load(page) if q.title == new.split(". ", 1)[1])
    s = signals(before.title, body_text(before.question()), "basics", now.title,
                body_text(now), "basics", 0.0)  # fmt: skip
    assert s.kept < BODY_KEPT  # the body alone would not say so
    lock = relock(page)
    assert lock.changes.renamed == ((now.id, kept),)
    assert lock.changes.added == () and lock.changes.retired == ()
    assert lock.decisions() == [
        f'kept {kept} for "{now.title}": {title}, same place, {s.kept:.0%} of the old answer kept'
    ]


def test_a_question_retitled_beside_a_namesake_in_another_section_keeps_its_id(
    page: Path,
) -> None:
    """Two sections each had an "Exposing Ports"; one is retitled: the old title is still on
    the page, but held by the other question, which keeps its own id."""
    text = page.read_text(encoding="utf-8")
    a = text.index('  <Accordion title="2. Exposing Ports">')
    b = text.index('  <Accordion title="3. Volumes and Bind Mounts">')
    twin = text[a:b].replace("2. Exposing Ports", "Scenario 2: Exposing Ports")
    text = text.rstrip("\n").removesuffix("</AccordionGroup>") + twin + "</AccordionGroup>\n"
    page.write_text(text, encoding="utf-8")
    assert relock(page).changes.added == ("scenarios/exposing-ports",)
    edit(page, ("2. Exposing Ports", "2. Exposing and Publishing Ports"), (PORTS, PORTS + GROWN))
    lock = relock(page)
    assert lock.changes.renamed == (
        ("basics/exposing-and-publishing-ports", "basics/exposing-ports"),
    )
    assert lock.changes.added == () and lock.changes.retired == ()


@pytest.mark.parametrize(
    ("old", "new"),
    [  # the title words a comparison looks at are in the new title, the title is not
        ("4. What is Docker Swarm?", "4. Docker Swarm Networking"),
        ("4. Docker Swarm Networking", "4. What is Docker Swarm?"),
        ("4. What is Swarm?", "4. Why Swarm?"),
    ],
)
def test_a_title_that_is_another_question_in_small_words_is_a_new_question(
    page: Path, old: str, new: str
) -> None:
    """Small words decide what the question asks ("What is" a thing, or how it does one part):
    a title holds another only with all its words, and over a rewritten answer it is a new
    question."""
    edit(page, ("4. Docker Swarm Basics", old))
    page.with_suffix(".lock").unlink()
    refresh(dockerqa.load(page), page.with_suffix(".lock"), now=T0)
    edit(page, (old, new), (SWARM, REWRITTEN))
    lock = relock(page)
    assert lock.changes.renamed == ()
    assert len(lock.changes.added) == len(lock.changes.retired) == 1


@pytest.mark.parametrize(
    "title",
    [  # the same title; its words reordered; a small word, punctuation or a plural changed
        "Docker Swarm Basics",
        "Basics: Docker Swarm",
        "The Docker Swarm Basics",
        "Docker Swarm Basic",
    ],
)
def test_a_question_moved_to_another_section_under_its_title_keeps_its_id(
    page: Path, title: str
) -> None:
    """A page reorganised into new sections, its answers rewritten on the way (the real
    histories: 22 such moves, the old answer keeping 20–65% of its words): the title's words
    are all there, so it is the same question wherever it went."""
    swarm = f'  <Accordion title="4. Docker Swarm Basics">\n**Answer:**\n{SWARM}\n  </Accordion>\n'
    edit(page, (swarm, ""))
    text = page.read_text(encoding="utf-8")
    moved = f'  <Accordion title="Scenario 2: {title}">\n**Answer:**\n{REWRITTEN}\n  </Accordion>\n'
    text = text.rstrip("\n").removesuffix("</AccordionGroup>") + moved + "</AccordionGroup>\n"
    page.write_text(text, encoding="utf-8")
    lock = relock(page)
    assert [kept for _, kept in lock.changes.renamed] == ["basics/docker-swarm-basics"]
    assert lock.changes.added == () and lock.changes.retired == ()
    assert apply_renames(dockerqa.load(page), lock).get("basics/docker-swarm-basics").title == title


def test_a_title_kept_in_another_section_over_an_unrelated_answer_is_a_new_question(
    page: Path,
) -> None:
    """Containment alone holds only in the same section: "Docker Swarm Basics" removed and
    "Docker Swarm Basics for Scenarios" added elsewhere with another answer is a new note."""
    swarm = f'  <Accordion title="4. Docker Swarm Basics">\n**Answer:**\n{SWARM}\n  </Accordion>\n'
    edit(page, (swarm, ""))
    text = page.read_text(encoding="utf-8")
    moved = (
        '  <Accordion title="Scenario 2: Docker Swarm Basics for Scenarios">\n**Answer:**\n'
        f"{REWRITTEN}\n  </Accordion>\n"
    )
    text = text.rstrip("\n").removesuffix("</AccordionGroup>") + moved + "</AccordionGroup>\n"
    page.write_text(text, encoding="utf-8")
    lock = relock(page)
    assert lock.changes.renamed == ()
    assert lock.changes.added == ("scenarios/docker-swarm-basics-for-scenarios",)
    assert lock.changes.retired == ("basics/docker-swarm-basics",)


def test_an_unrelated_question_in_the_same_place_is_a_new_note(page: Path) -> None:
    """Same number, same section, a title sharing two of three words: the body is another
    question's, so it is a new question and the old one is retired."""
    compose = (
        "Compose describes a multi-container application in one YAML file, so `docker compose "
        "up` starts the services, networks and volumes together on a single host."
    )
    edit(page, ("4. Docker Swarm Basics", "4. Docker Compose Basics"), (SWARM, compose))
    s = signals("Docker Swarm Basics", SWARM, "basics", "Docker Compose Basics", compose,
                "basics", 0.0)  # fmt: skip
    assert s.title >= TITLE_MATCH and s.kept < BODY_KEPT and not s.eligible
    lock = relock(page)
    assert lock.changes.renamed == ()
    assert lock.changes.added == ("basics/docker-compose-basics",)
    assert lock.changes.retired == ("basics/docker-swarm-basics",)
    assert lock.decisions() == [
        'new question basics/docker-compose-basics: "Docker Compose Basics"',
        'retired basics/docker-swarm-basics: "Docker Swarm Basics"',
    ]


def test_two_questions_swapping_places_keep_their_ids(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    a = text.index('  <Accordion title="2. Exposing Ports">')
    b = text.index('  <Accordion title="3. Volumes and Bind Mounts">')
    c = text.index('  <Accordion title="4. Docker Swarm Basics">')
    page.write_text(text[:a] + text[b:c] + text[a:b] + text[c:], encoding="utf-8")
    lock = relock(page)
    assert lock.changes.describe() == "" and lock.decisions() == []


def test_two_questions_swapping_places_and_retitled_keep_their_own_ids(page: Path) -> None:
    """Both retitled and moved into each other's place in one edit: each goes to its own."""
    text = page.read_text(encoding="utf-8")
    a = text.index('  <Accordion title="2. Exposing Ports">')
    b = text.index('  <Accordion title="3. Volumes and Bind Mounts">')
    c = text.index('  <Accordion title="4. Docker Swarm Basics">')
    ports = text[a:b].replace("2. Exposing Ports", "3. Exposing Ports (-p)")
    volumes = text[b:c].replace("3. Volumes and Bind Mounts", "2. Volumes, Bind Mounts, tmpfs")
    page.write_text(text[:a] + volumes + ports + text[c:], encoding="utf-8")
    lock = relock(page)
    assert lock.changes.renamed == (
        ("basics/exposing-ports-p", "basics/exposing-ports"),
        ("basics/volumes-bind-mounts-tmpfs", "basics/volumes-and-bind-mounts"),
    )


def test_a_question_whose_old_title_is_still_on_the_page_is_not_renamed(page: Path) -> None:
    """The question moved to another section under its title; a new question in its old
    place grew from its answer: the old id goes with the title, never to the newcomer."""
    text = page.read_text(encoding="utf-8")
    a = text.index('  <Accordion title="2. Exposing Ports">')
    b = text.index('  <Accordion title="3. Volumes and Bind Mounts">')
    block = text[a:b]
    newcomer = block.replace("2. Exposing Ports", "2. Exposing Ports in Compose").replace(
        PORTS, PORTS + GROWN
    )
    moved = block.replace("2. Exposing Ports", "Scenario 2: Exposing Ports")
    text = text[:a] + newcomer + text[b:]
    text = text.rstrip("\n").removesuffix("</AccordionGroup>") + moved + "</AccordionGroup>\n"
    page.write_text(text, encoding="utf-8")
    lock = relock(page)
    assert lock.changes.renamed == (("scenarios/exposing-ports", "basics/exposing-ports"),)
    assert lock.changes.added == ("basics/exposing-ports-in-compose",)


def test_a_question_moved_and_duplicated_keeps_its_id_in_one_place(page: Path) -> None:
    """Moved to another section and pasted there twice: the old title is still on the page,
    twice; one of the two keeps the id, the other is a new question, nothing is retired."""
    text = page.read_text(encoding="utf-8")
    a = text.index('  <Accordion title="2. Exposing Ports">')
    b = text.index('  <Accordion title="3. Volumes and Bind Mounts">')
    block = text[a:b].replace("2. Exposing Ports", "Scenario 2: Exposing Ports")
    text = text[:a] + text[b:]
    text = text.rstrip("\n").removesuffix("</AccordionGroup>") + block + block
    page.write_text(text + "</AccordionGroup>\n", encoding="utf-8")
    lock = relock(page)
    assert lock.changes.renamed == (("scenarios/exposing-ports", "basics/exposing-ports"),)
    assert lock.changes.added == ("scenarios/exposing-ports-2",)
    assert lock.changes.retired == ()


def test_the_assignment_is_the_best_total_not_first_come() -> None:
    # first come would take (0, 0) = 1.0 and leave row 1 alone: 1.0 in all
    assert assign([[1.0, 0.9], [0.8, None]]) == [(0, 1), (1, 0)]
    assert assign([]) == [] and assign([[None]]) == []
    assert assign([[0.5], [0.7], [0.6]]) == [(1, 0)]
    rng = random.Random(7)
    for _ in range(200):
        rows, cols = rng.randint(1, 4), rng.randint(1, 4)
        w = [[rng.choice([None, round(rng.random(), 2)]) for _ in range(cols)] for _ in range(rows)]
        got = assign(w)
        assert len({i for i, _ in got}) == len(got) == len({j for _, j in got})
        total = sum(w[i][j] or 0.0 for i, j in got)
        best = 0.0
        for perm in itertools.permutations(range(max(rows, cols)), rows):
            t = sum(w[i][j] or 0.0 for i, j in enumerate(perm) if j < cols and w[i][j] is not None)
            best = max(best, t)
        assert total == pytest.approx(best)


def test_lock_and_export_print_each_decision_and_quiet_keeps_the_summary(page: Path) -> None:
    edit(
        page, ("4. Docker Swarm Basics", "4. Docker Contexts"), (SWARM, "Contexts name endpoints.")
    )
    quiet = run_cli("lock", "--source", str(page), "--quiet")
    assert quiet.stdout == "lock written: 5 questions, 1 retired; 1 question added, 1 retired\n"
    shutil.copyfile(STORY / "story_v1.mdx", page)
    loud = run_cli("lock", "--source", str(page))
    assert loud.stdout.splitlines() == [
        'retired basics/docker-contexts: "Docker Contexts"',
        'back in the source basics/docker-swarm-basics: "Docker Swarm Basics"',
        "lock written: 5 questions, 1 retired; 1 question retired, 1 back in the source",
    ]
    edit(page, ("2. Exposing Ports", "2. Exposing and Publishing Ports"), (PORTS, PORTS + GROWN))
    out = page.parent / "d.apkg"
    exported = run_cli("export", "anki", "--source", str(page), "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.splitlines() == [
        # the lock named as the page was given: two pages of one name in two folders differ
        f"updated {page.with_suffix('.lock')}: 1 question renamed, anki exporter state changed",
        '  kept basics/exposing-ports for "Exposing and Publishing Ports": title contains the '
        "old one, same place, 100% of the old answer kept",
        f"wrote {out}",
    ]
    edit(page, ("2. Exposing and Publishing Ports", "2. Exposing Ports (-p)"))
    quiet_export = run_cli("export", "anki", "--source", str(page), "--out", str(out), "--quiet")
    assert quiet_export.stdout.splitlines() == [
        f"updated {page.with_suffix('.lock')}: 1 question renamed",
        f"wrote {out}",
    ]


COMPOSE = "Compose runs several containers from one YAML file on a single host."


def test_a_person_can_say_a_new_question_is_a_rename_and_it_lasts(page: Path) -> None:
    edit(page, ("4. Docker Swarm Basics", "4. Docker Compose Basics"), (SWARM, COMPOSE))
    assert relock(page).changes.retired == ("basics/docker-swarm-basics",)
    rename = {"basics/docker-compose-basics": "basics/docker-swarm-basics"}
    lock = refresh_lock(page, rename=rename)
    assert lock.decisions() == [
        'kept basics/docker-swarm-basics for "Docker Compose Basics": decided by hand',
        'retired basics/docker-compose-basics: "Docker Compose Basics"',
    ]
    assert read_lock(page.with_suffix(".lock")).renames() == {
        "basics/docker-compose-basics": "basics/docker-swarm-basics"
    }
    again = run_cli("lock", "--source", str(page))
    assert again.stdout == "lock up to date: 5 questions, 1 retired; no change\n"
    listed = run_cli("list", "--source", str(page))
    assert "basics/docker-swarm-basics" in listed.stdout
    assert "basics/docker-compose-basics" not in listed.stdout


def test_a_rename_by_hand_never_takes_the_id_of_a_question_on_the_page(page: Path) -> None:
    # exposing-ports is retitled (kept through the lock's rename), Swarm replaced by Compose
    edit(page, ("2. Exposing Ports", "2. Exposing and Publishing Ports"), (PORTS, PORTS + GROWN))
    edit(page, ("4. Docker Swarm Basics", "4. Docker Compose Basics"), (SWARM, COMPOSE))
    assert relock(page).changes.renamed
    before = page.with_suffix(".lock").read_bytes()
    taken = run_cli(
        "lock",
        "--source",
        str(page),
        "--rename",
        "basics/exposing-ports=basics/docker-compose-basics",
    )
    assert taken.returncode == 1
    assert taken.stderr == (
        "dockerqa: error: "
        f"{page.with_suffix('.lock')}: 'basics/exposing-ports' is still on the page (as "
        "'basics/exposing-and-publishing-ports') (ids the lock keeps for no question on the "
        "page: basics/docker-swarm-basics)\n"
    )
    itself = run_cli(
        "lock",
        "--source",
        str(page),
        "--rename",
        "basics/docker-compose-basics=basics/docker-compose-basics",
    )
    assert itself.returncode == 1 and "nothing to decide" in itself.stderr
    assert page.with_suffix(".lock").read_bytes() == before


def test_a_person_can_say_a_rename_is_a_new_question_and_it_lasts(page: Path) -> None:
    edit(page, ("2. Exposing Ports", "2. Exposing and Publishing Ports"), (PORTS, PORTS + GROWN))
    assert relock(page).changes.renamed  # taken as a rename
    result = run_cli("lock", "--source", str(page), "--new", "basics/exposing-and-publishing-ports")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        'new question basics/exposing-and-publishing-ports: "Exposing and Publishing Ports"',
        'retired basics/exposing-ports: "Exposing and Publishing Ports"',  # as last seen
        "lock written: 5 questions, 1 retired; 1 question added, 1 retired",
    ]
    lock = read_lock(page.with_suffix(".lock"))
    retired = lock.entry("basics/exposing-ports")
    assert lock.renames() == {} and retired is not None and retired.retired is not None
    again = run_cli("lock", "--source", str(page))
    assert again.stdout == "lock up to date: 5 questions, 1 retired; no change\n"
    # and back: the person changes their mind, the old id comes back with its history
    back = run_cli("lock", "--source", str(page), "--rename",
                   "basics/exposing-ports=basics/exposing-and-publishing-ports")  # fmt: skip
    assert back.returncode == 0, back.stderr
    assert back.stdout.splitlines()[0] == (
        'kept basics/exposing-ports for "Exposing and Publishing Ports": decided by hand'
    )
    assert read_lock(page.with_suffix(".lock")).renames() == {
        "basics/exposing-and-publishing-ports": "basics/exposing-ports"
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--rename", "basics/nope=basics/docker-compose-basics"),
            "'basics/nope' is not in the lock (ids the lock keeps for no question on the page: "
            "basics/docker-swarm-basics)",
        ),
        (
            ("--rename", "basics/exposing-ports=basics/docker-compose-basics"),
            "'basics/exposing-ports' is still on the page (as 'basics/exposing-ports') (ids the "
            "lock keeps for no question on the page: basics/docker-swarm-basics)",
        ),
        (
            ("--new", "basics/nope"),
            "'basics/nope' is not a question on the page (new or retitled: "
            "basics/docker-compose-basics; any id the page's titles give works)",
        ),
    ],
)
def test_an_unknown_id_is_one_line_naming_the_valid_ones(
    page: Path, args: tuple[str, ...], message: str
) -> None:
    edit(page, ("4. Docker Swarm Basics", "4. Docker Compose Basics"), (SWARM, COMPOSE))
    before = page.with_suffix(".lock").read_bytes()
    result = run_cli("lock", "--source", str(page), *args)
    lock_file = page.with_suffix(".lock")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"dockerqa: error: {lock_file}: {message}\n"
    assert lock_file.read_bytes() == before
    with pytest.raises(LockError, match=r"not in the lock|still on the page|not a question"):
        name = args[1]
        if args[0] == "--rename":
            old, new = name.split("=")
            refresh_lock(page, rename={new: old})
        else:
            refresh_lock(page, new=[name])
    bad = run_cli("lock", "--source", str(page), "--rename", "no-equals-sign")
    assert bad.returncode == 2 and "is not OLD=NEW" in bad.stderr
    twice = run_cli("lock", "--source", str(page), "--rename", "basics/docker-swarm-basics="
                    "basics/docker-compose-basics", "--rename",
                    "basics/docker-swarm-basics=basics/exposing-ports")  # fmt: skip
    assert twice.returncode == 1 and twice.stderr == (
        f"dockerqa: error: {lock_file}: 'basics/docker-swarm-basics' is kept by two questions: "
        "decide one thing per question\n"
    )
    two_olds = run_cli("lock", "--source", str(page), "--rename", "basics/docker-swarm-basics="
                       "basics/docker-compose-basics", "--rename",
                       "basics/exposing-ports=basics/docker-compose-basics")  # fmt: skip
    assert two_olds.returncode == 2 and two_olds.stdout == ""
    assert (
        "'basics/docker-compose-basics' is given two identities (basics/docker-swarm-basics, "
        "basics/exposing-ports): decide one thing per question"
    ) in " ".join(two_olds.stderr.split())
    assert lock_file.read_bytes() == before


def test_every_command_opens_a_page_the_same_way(page: Path, tmp_path: Path) -> None:
    """open_page: load, lock, renames, then filters, for export, list and drill alike."""
    edit(page, ("2. Exposing Ports", "2. Exposing and Publishing Ports"), (PORTS, PORTS + GROWN))
    opened = open_page(page, use="refresh", filters={"section": "basics"})
    ids = [q.id for q in opened.library]
    assert "basics/exposing-ports" in ids and "basics/exposing-and-publishing-ports" not in ids
    assert opened.lock is not None and opened.lock_file == page.with_suffix(".lock")
    listed = run_cli("list", "--source", str(page), "--section", "basics")
    assert [line.split()[0] for line in listed.stdout.splitlines()] == ids
    with dockerqa.Store(tmp_path / "s.sqlite3") as store:
        drill = dockerqa.Drill.open(page, store, filters={"section": "basics"})
        assert [q.id for q in drill.library] == ids
    exported = dockerqa.export(page, "json", "-", filters={"section": "basics"})
    assert exported == [Path("-")]


def test_every_stale_lock_message_advises_the_one_command_for_its_page(page: Path) -> None:
    """`dockerqa lock --source PAGE` for a page of one's own, `dockerqa lock` for the corpus:
    phrased in one place whoever finds the lock stale (the refresh, or an exporter's check)."""
    from dockerqa.identity import check

    stale = read_lock(page.with_suffix(".lock"))
    edit(page, (SWARM, COMPOSE))
    with pytest.raises(LockError, match=rf"; run `dockerqa lock --source {page}`$"):
        check(dockerqa.load(page), stale)
    with pytest.raises(LockError, match=rf"; run `dockerqa lock --source {page}`$"):
        refresh(dockerqa.load(page), page.with_suffix(".lock"), locked=True)
    corpus = dockerqa.load()
    with pytest.raises(LockError, match=r"; run `dockerqa lock`$"):
        check(corpus, stale)


def test_a_page_without_a_key_reorganised_into_new_sections_keeps_its_lock(
    tmp_path: Path,
) -> None:
    """Every question moved to a new section under its title, one answer rewritten (the real
    histories: two pages did this in one edit): the page keeps its lock and every id; only a
    lock none of whose questions is on the page otherwise is another page's."""
    page = tmp_path / "notes.mdx"
    text = (STORY / "story_v1.mdx").read_text(encoding="utf-8")
    page.write_text(text, encoding="utf-8")
    first = dockerqa.refresh_lock(page)
    ids = sorted(e.id for e in first.active)
    text = text.replace("## 1. Basics & Setup", "## 1. Getting Started").replace(
        "## Advanced Scenario-Based Questions", "## Scenarios in Production"
    )
    page.write_text(text.replace(SWARM, REWRITTEN), encoding="utf-8")
    lock = dockerqa.refresh_lock(page)
    assert lock.key == first.key and lock.changes.added == () and lock.changes.retired == ()
    assert sorted(kept for _, kept in lock.changes.renamed) == ids
    assert lock.changes.moved == ("basics-setup/docker-swarm-basics",)


# --- the place: same section, same printed number, same neighbours --------------------------


VOLUMES = (
    "Named volumes are managed by Docker and live under its data directory, so they survive "
    "container removal and are easy to back up. Bind mounts map a host path straight into the "
    "container, which is handy for development but ties the container to the host's directory "
    "layout and permissions. Use volumes for databases and other state, bind mounts for source "
    "code you edit on the host, and tmpfs mounts for secrets that must never touch disk."
)
#: The volumes answer partly rewritten: 59% of the old answer's words kept (its red flag too).
VOLUMES_REWORKED = (
    "Named volumes are managed by Docker and live under its data directory, so they survive "
    "container removal and are easy to back up. Bind mounts map a host path into the "
    "container. In Compose, list volumes under the top-level `volumes:` key and mount them "
    "per service."
)


def _kept(page: Path, old_id: str, new_title: str) -> Signals:
    """The signals of the question the lock knows as ``old_id`` and the one now titled
    ``new_title``, their place aside."""
    before = read_lock(page.with_suffix(".lock")).entry(old_id)
    assert before is not None
    now = next(q for q in dockerqa.load(page) if q.title == new_title)
    return signals(before.title, body_text(before.question()), before.section, now.title,
                   body_text(now), now.section, 0.0)  # fmt: skip


@pytest.mark.parametrize(
    ("edits", "kept", "title", "why"),
    [  # half the title's words and most of the answer; most of the title and 59% of the answer
        ((("2. Exposing Ports", "2. Publishing Ports"), (PORTS, PORTS + GROWN)),
         "basics/exposing-ports", "Publishing Ports", "title shares 50% of its words"),
        ((("3. Volumes and Bind Mounts", "3. Volumes and Mounts in Compose"),
          (VOLUMES, VOLUMES_REWORKED)),
         "basics/volumes-and-bind-mounts", "Volumes and Mounts in Compose",
         "title shares 67% of its words"),
    ],
)  # fmt: skip
def test_a_partial_retitle_at_the_same_number_keeps_its_id(
    page: Path, edits: tuple[tuple[str, str], ...], kept: str, title: str, why: str
) -> None:
    """Title and answer each say so only in part ("Testing A11y" → "Testing Accessibility",
    "Regular Expressions Basics" → "Regular Expressions (Practical Patterns)" with 61% of the
    old answer kept): at the same number between the same questions, it is the same question."""
    edit(page, *edits)
    s = _kept(page, kept, title)
    assert not s.eligible  # anywhere else it would be a new question
    assert (s.title < TITLE_MATCH and s.kept >= BODY_KEPT) or (
        s.title >= TITLE_MATCH and PLACE_KEPT <= s.kept < BODY_KEPT
    )
    lock = relock(page)
    assert [k for _, k in lock.changes.renamed] == [kept]
    assert lock.changes.added == () and lock.changes.retired == ()
    assert lock.decisions() == [
        f'kept {kept} for "{title}": {why}, same place, {s.kept:.0%} of the old answer kept'
    ]


@pytest.mark.parametrize(
    ("title", "body"),
    [  # a title sharing two of three words, or one of two, over another question's answer
        ("Docker Compose Basics", "Compose describes a multi-container application in one YAML "
         "file, so `docker compose up` starts the services, networks and volumes together."),
        ("Docker Contexts", "A context names a Docker endpoint, so one client can talk to "
         "several daemons: `docker context use remote` switches them."),
    ],
)  # fmt: skip
def test_an_unrelated_question_at_the_same_number_is_new(page: Path, title: str, body: str) -> None:
    """Same number, same neighbours: the place alone never makes two questions one."""
    edit(page, ("4. Docker Swarm Basics", f"4. {title}"), (SWARM, body))
    s = replace(_kept(page, "basics/docker-swarm-basics", title), number=True, neighbours=True)
    assert s.at_place and s.title >= PLACE_TITLE and not s.eligible
    lock = relock(page)
    assert lock.changes.renamed == ()
    assert lock.changes.retired == ("basics/docker-swarm-basics",)
    assert len(lock.changes.added) == 1


def test_a_question_moved_away_leaves_its_number_to_another(page: Path) -> None:
    """ "Exposing Ports" moves to the end of its section as "Publishing Ports" (its answer
    unchanged); a new question takes number 2: each keeps what it is."""
    text = page.read_text(encoding="utf-8")
    a = text.index('  <Accordion title="2. Exposing Ports">')
    b = text.index('  <Accordion title="3. Volumes and Bind Mounts">')
    c = text.index("</AccordionGroup>")
    moved = text[a:b].replace("2. Exposing Ports", "5. Publishing Ports")
    health = (
        '  <Accordion title="2. Health Checks">\n**Answer:**\n`HEALTHCHECK` runs a command in '
        "the container; Docker marks it unhealthy after the given number of failures.\n"
        "  </Accordion>\n\n"
    )
    page.write_text(text[:a] + health + text[b:c] + moved + text[c:], encoding="utf-8")
    lock = relock(page)
    assert lock.changes.renamed == (("basics/publishing-ports", "basics/exposing-ports"),)
    assert lock.changes.added == ("basics/health-checks",) and lock.changes.retired == ()
    assert lock.decisions()[0].startswith(
        'kept basics/exposing-ports for "Publishing Ports": title shares 50% of its words, '
        "same section, 100% of the old answer kept"
    )


@pytest.fixture
def unnumbered(page: Path) -> Path:
    """The story page with its basics unnumbered, and its lock made anew."""
    for n, title in enumerate(
        ["Image vs Container", "Exposing Ports", "Volumes and Bind Mounts", "Docker Swarm Basics"],
        1,
    ):
        edit(page, (f'"{n}. {title}"', f'"{title}"'))
    page.with_suffix(".lock").unlink()
    refresh(dockerqa.load(page), page.with_suffix(".lock"), now=T0)
    return page


def test_without_numbers_the_neighbours_give_the_place(unnumbered: Path) -> None:
    edit(unnumbered, ('"Exposing Ports"', '"Publishing Ports"'), (PORTS, PORTS + GROWN))
    lock = relock(unnumbered)
    assert lock.changes.renamed == (("basics/publishing-ports", "basics/exposing-ports"),)
    assert lock.decisions()[0].startswith(
        'kept basics/exposing-ports for "Publishing Ports": title shares 50% of its words, '
        "same place, "
    )


def test_without_numbers_other_neighbours_are_another_place(unnumbered: Path) -> None:
    """The same partial retitle, moved to the end of its section: nothing says it is the same
    question but half its title and its answer, so it is a new one."""
    text = unnumbered.read_text(encoding="utf-8")
    a = text.index('  <Accordion title="Exposing Ports">')
    b = text.index('  <Accordion title="Volumes and Bind Mounts">')
    c = text.index("</AccordionGroup>")
    moved = (
        text[a:b].replace('"Exposing Ports"', '"Publishing Ports"').replace(PORTS, PORTS + GROWN)
    )
    unnumbered.write_text(text[:a] + text[b:c] + moved + text[c:], encoding="utf-8")
    lock = relock(unnumbered)
    assert lock.changes.renamed == ()
    assert lock.changes.added == ("basics/publishing-ports",)
    assert lock.changes.retired == ("basics/exposing-ports",)


def test_the_lock_records_where_each_question_stands(page: Path) -> None:
    lock = read_lock(page.with_suffix(".lock"))
    place = {e.id: (e.number, e.after) for e in lock.questions}
    assert place == {
        "basics/image-vs-container": (1, None),
        "basics/exposing-ports": (2, "basics/image-vs-container"),
        "basics/volumes-and-bind-mounts": (3, "basics/exposing-ports"),
        "basics/docker-swarm-basics": (4, "basics/volumes-and-bind-mounts"),
        "scenarios/the-restart-loop": (1, None),
    }
    text = page.with_suffix(".lock").read_text(encoding="utf-8")
    assert text.count('"after": ') == 3 and '"after": null' not in text


def _without_places(lock_file: Path) -> None:
    """The lock as a dockerqa that recorded no place wrote it."""
    data = json.loads(lock_file.read_text(encoding="utf-8"))
    for entry in data["questions"]:
        entry.pop("number", None)
        entry.pop("after", None)
    lock_file.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def test_an_old_lock_without_places_still_reads_checks_and_works(page: Path) -> None:
    lock_file = page.with_suffix(".lock")
    _without_places(lock_file)
    old = lock_file.read_bytes()
    assert b'"after":' not in old and b'"number":' not in old
    assert all(e.number is None and e.after is None for e in read_lock(lock_file).questions)
    check = run_cli("lock", "--check", "--source", str(page))
    assert check.returncode == 0, check.stderr
    out = page.parent / "d.json"
    locked = run_cli("export", "json", "--locked", "--source", str(page), "--out", str(out))
    assert locked.returncode == 0, locked.stderr
    assert lock_file.read_bytes() == old  # nothing forced on it
    # a retitle in place is still found by its section, and the refresh records the places
    edit(page, ("2. Exposing Ports", "2. Exposing and Publishing Ports"), (PORTS, PORTS + GROWN))
    lock = relock(page)
    assert lock.changes.renamed == (
        ("basics/exposing-and-publishing-ports", "basics/exposing-ports"),
    )
    assert lock.decisions() == [
        'kept basics/exposing-ports for "Exposing and Publishing Ports": title contains the old '
        "one, same section, 100% of the old answer kept"
    ]
    assert read_lock(lock_file).entry("basics/volumes-and-bind-mounts").after == (  # type: ignore[union-attr]
        "basics/exposing-ports"
    )


def test_a_reorder_alone_leaves_the_lock_as_it_is(page: Path) -> None:
    """Where questions stand is a hint for the next refresh, not part of what `--locked`
    checks: two questions swapped, the lock still matches and keeps its bytes; the next change
    records the new order."""
    lock_file = page.with_suffix(".lock")
    before = lock_file.read_bytes()
    text = page.read_text(encoding="utf-8")
    a = text.index('  <Accordion title="2. Exposing Ports">')
    b = text.index('  <Accordion title="3. Volumes and Bind Mounts">')
    c = text.index('  <Accordion title="4. Docker Swarm Basics">')
    page.write_text(text[:a] + text[b:c] + text[a:b] + text[c:], encoding="utf-8")
    check = run_cli("lock", "--check", "--source", str(page))
    assert check.returncode == 0, check.stderr
    assert relock(page).changes.describe() == "" and lock_file.read_bytes() == before
    edit(page, (SWARM, SWARM + " Its services are declared in a stack file."))
    relock(page)
    entry = read_lock(lock_file).entry("basics/exposing-ports")
    assert entry is not None and entry.after == "basics/volumes-and-bind-mounts"


def test_refreshing_an_old_lock_records_the_places_once(page: Path) -> None:
    lock_file = page.with_suffix(".lock")
    _without_places(lock_file)
    first = run_cli("lock", "--source", str(page))
    assert first.stdout == (
        "lock written: 5 questions, 0 retired; where each question stands recorded\n"
    )
    assert read_lock(lock_file).records_places
    again = run_cli("lock", "--source", str(page))
    assert again.stdout == "lock up to date: 5 questions, 0 retired; no change\n"


def test_a_decision_by_hand_takes_the_id_list_shows(page: Path) -> None:
    # `dockerqa list` shows a renamed question under the id it keeps: --new and the NEW side
    # of --rename take that id as well as the one the page's title gives
    edit(page, ("2. Exposing Ports", "2. Exposing and Publishing Ports"), (PORTS, PORTS + GROWN))
    assert relock(page).changes.renamed
    listed = run_cli("list", "--source", str(page)).stdout
    assert "basics/exposing-ports " in listed and "exposing-and-publishing" not in listed
    result = run_cli("lock", "--source", str(page), "--new", "basics/exposing-ports")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == [
        'new question basics/exposing-and-publishing-ports: "Exposing and Publishing Ports"',
        'retired basics/exposing-ports: "Exposing and Publishing Ports"',
    ]


def test_new_for_a_question_that_keeps_its_own_id_is_one_line(page: Path) -> None:
    before = page.with_suffix(".lock").read_bytes()
    result = run_cli("lock", "--source", str(page), "--new", "basics/exposing-ports")
    assert (result.returncode, result.stderr.count("\n")) == (1, 1), result.stderr
    assert result.stderr.endswith(
        "deck.lock: 'basics/exposing-ports' is a question of its own in the lock, not one it "
        "took as renamed: nothing to make new (taken as renamed: none)\n"
    )
    assert page.with_suffix(".lock").read_bytes() == before


def test_a_drill_that_refreshes_the_lock_says_what_it_decided(page: Path) -> None:
    # the drill brings the lock up to date as an export does, and says so as an export does
    edit(page, ("2. Exposing Ports", "2. Exposing and Publishing Ports"), (PORTS, PORTS + GROWN))
    store = page.with_name("drill.sqlite3")
    result = run_cli("drill", "--source", str(page), "--store", str(store), "--stats")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"updated {page.with_suffix('.lock')}: 1 question renamed",
        '  kept basics/exposing-ports for "Exposing and Publishing Ports": title contains the '
        "old one, same place, 100% of the old answer kept",
    ]
    again = run_cli("drill", "--source", str(page), "--store", str(store), "--stats")
    assert (again.returncode, again.stderr) == (0, "")  # nothing decided the second time


def test_formats_without_identity_show_the_ids_the_lock_would_keep(page: Path) -> None:
    # JSON, the cheat sheet, list and show give a renamed question the id the lock would keep,
    # whether or not the lock was refreshed since the edit (and never write it); --locked
    # refuses an out-of-date lock for them as for the deck
    edit(page, ("2. Exposing Ports", "2. Exposing and Publishing Ports"), (PORTS, PORTS + GROWN))
    lock_file = page.with_suffix(".lock")
    before = lock_file.read_bytes()
    done = run_cli("export", "json", "--source", str(page), "--out", "-")
    assert done.returncode == 0, done.stderr
    ids = [q["id"] for q in json.loads(done.stdout)["questions"]]
    assert "basics/exposing-ports" in ids and "basics/exposing-and-publishing-ports" not in ids
    listed = run_cli("list", "--source", str(page)).stdout
    assert "basics/exposing-ports " in listed
    assert lock_file.read_bytes() == before
    for format in ("json", "html"):
        out = page.with_name(f"o.{format}")
        locked = run_cli("export", format, "--locked", "--source", str(page), "--out", str(out))
        assert locked.returncode == 1 and "out of date" in locked.stderr, locked.stderr
        assert not out.exists()


def test_show_says_a_retired_question_left_the_page(page: Path) -> None:
    edit(page, ("4. Docker Swarm Basics", "4. Docker Compose Basics"), (SWARM, COMPOSE))
    relock(page)  # Swarm retired, Compose new
    done = run_cli("show", "basics/docker-swarm-basics", "--source", str(page))
    assert done.returncode == 1
    assert done.stderr == (
        f"dockerqa: error: {page}: 'basics/docker-swarm-basics' left the page (its lock keeps it "
        f'as retired: "Docker Swarm Basics"); `dockerqa list --source {page}` lists every id\n'
    )
