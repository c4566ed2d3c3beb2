"""Key points of a strong answer and which of them a typed answer covers, pinned for three
corpus questions (the drill shows exactly these, see test_drill.py)."""

from __future__ import annotations

import re

import pytest

import dockerqa
from dockerqa.drill import Drill, Item, Store
from dockerqa.feedback import KeyPoint, feedback, key_points, suggest

CASES = [
    (
        "fundamentals/vm-vs-container",
        "Containers share the host kernel; VMs virtualize hardware with a hypervisor.\n"
        "Containers boot in milliseconds. Isolation comes from namespaces and cgroups.",
        [
            ("table", "Virtualization level", True),  # "virtualize"
            ("table", "Isolation mechanism", True),
            ("table", "Guest OS", False),
            ("table", "Size", False),
            ("table", "Boot time", True),  # "boot"
            ("table", "Density", False),
            ("table", "Security isolation", True),
            ("bold", "Namespaces", True),
            ("bold", "Cgroups", True),
        ],
        3,  # 6 of 9: Good
    ),
    (
        "fundamentals/docker-architecture-components",
        "The Docker client talks REST to dockerd, which hands off to containerd and runc; "
        "runc creates the namespaces. docker pull nginx fetches from a registry.",
        [
            ("list", "Daemon (dockerd)", True),  # the aside names it
            ("list", "Client (docker)", True),
            ("list", "Registry", True),
            ("list", "Containerd", True),
            ("list", "Runc", True),
            ("code", "docker pull nginx", True),  # identifiers exactly
            ("list", "Daemon queries Registry for the image manifest (JSON …", False),
            ("list", "Downloads layers in parallel, skipping any that already …", False),
            (
                "list",
                "Stores layers in /var/lib/docker/overlay2/ (on overlay2 storage driver)",
                False,
            ),
            ("code", "docker run", False),  # "docker" alone is not `docker run`
            ("list", "Containerd prepares the filesystem", False),
            ("list", "Runc creates namespaces (PID, NET, MNT, UTS, IPC, …", True),
            ("list", "Runc executes the entrypoint process as PID 1 …", False),
        ],
        2,  # 7 of 13: Hard
    ),
    (
        "fundamentals/image-layers-union-file-system",
        "Read-only layers, one per instruction, stacked into a union filesystem; a thin "
        "writable layer on top. Layer order matters for the build cache. Docker history.",
        [
            ("bold", "read-only layers", True),
            ("bold", "Union File System", True),  # "filesystem" is "file system"
            ("list", "Each layer is a filesystem diff", True),
            # its `docker pull` is part of it: not a point of its own
            ("list", "When you docker pull, layers are downloaded independently …", False),
            ("bold", "writable layer", True),  # stands for its item: no cut sentence
            ("list", "Layer ordering matters for cache", True),  # "order", "cache"
            ("list", "Layer count affects pull time", False),
            ("list", "Size debugging", False),
            ("code", "docker history <image>", False),  # "Docker history": case counts
        ],
        2,  # 5 of 9: Hard
    ),
]


@pytest.mark.parametrize(("qid", "answer", "expected", "rating"), CASES, ids=lambda v: str(v)[:40])
def test_key_points_and_coverage(
    qid: str, answer: str, expected: list[tuple[str, str, bool]], rating: int
) -> None:
    question = dockerqa.load().get(qid)
    points = key_points(question.answer)
    said = feedback(points, answer)
    assert [(p.kind, p.text, hit) for p, hit in said.points] == expected
    assert said.covered == sum(hit for *_, hit in expected)
    assert said.suggestion == suggest(said.share)
    assert said.suggestion == rating


def test_the_drill_reveals_the_same_points(tmp_path: object) -> None:
    with Store(f"{tmp_path}/s.sqlite3") as store:
        drill = Drill.open(None, store)
        for qid, *_ in CASES:
            q = drill.library.get(qid)
            assert drill.ask(Item(q, 0)).points == key_points(q.answer)


@pytest.mark.parametrize(
    ("markdown", "points"),
    [
        ("**Why:** because.", []),  # a bold label is not a term
        ("**Term**: defined here.", []),
        ("Uses **cgroups** to limit.", [("bold", "cgroups")]),
        ("```bash\n# build\ndocker build -t app .\n```", [("code", "docker build -t app .")]),
        ("```mermaid\ngraph TD\n  a --> b\n```", []),
        ("Run `docker ps -a` or `RUN`.", [("code", "docker ps -a")]),
        ("1. First step -- details\n2. Second. More", [("list", "First step"), ("list", "Second")]),
        # a step's number is not a point; the bold lead is the point, without its full stop
        (
            "* **Step 1 — Diagnose first.** Run `docker history app`.",
            [("list", "Diagnose first"), ("code", "docker history app")],
        ),
        ("1. **Step 2: Add .dockerignore**", [("list", "Add .dockerignore")]),
        ("**Step 1: Read the logs.**\n\nThen the rest.", [("bold", "Read the logs")]),
        # the bold terms of an item stand for it: no cut sentence beside them
        ("3. Docker uses **QEMU emulation** to build for others.", [("bold", "QEMU emulation")]),
        # a head ends in its prose, not inside its code; a question ends it too
        (
            "* Kubernetes `imagePullPolicy: Always` with `latest` tags drifts.",
            [("list", "Kubernetes imagePullPolicy: Always with latest tags drifts")],
        ),
        ("* Was there a spike? Check the rate.", [("list", "Was there a spike")]),
        # a shell line's comment is not part of its command
        ("```bash\ndocker logs -f <id>   # Follow\n```", [("code", "docker logs -f <id>")]),
        # a command already part of a point is not a point again
        ("Use `docker run --rm x`, not a bare `docker run`.", [("code", "docker run --rm x")]),
        # a command in a table's first cell is matched as code
        (
            "| Command | Removes |\n|---|---|\n| `docker image prune -a` | all unused |",
            [("code", "docker image prune -a")],
        ),
    ],
)
def test_key_point_kinds(markdown: str, points: list[tuple[str, str]]) -> None:
    assert [(p.kind, p.text) for p in key_points(markdown)] == points


def test_code_is_matched_exactly_and_words_by_stem() -> None:
    code = KeyPoint("docker compose up", "code")
    assert feedback([code], "then docker compose up -d").covered == 1
    assert feedback([code], "then Docker Compose up").covered == 0
    # a command is its words, flags and paths, up to four, said together and as written
    for point, said, hit in [
        ("docker image prune -a", "docker image prune", False),  # -a is the point
        ("docker image prune -a", "run `docker image prune -a`.", True),
        ("docker image prune", "docker image prune -a", True),
        ("docker system prune -a --volumes", "docker system prune -a", True),
        ("docker history <image>", "docker history myapp", True),  # a placeholder ends it
        ("docker run -d nginx", "docker run nginx -d", False),  # in order
        ("docker inspect -f '{{.State.OOMKilled}}' <id>", "docker inspect -f", True),
        (
            "curl -fsSL https://get.docker.com/rootless | sh",
            "curl -fsSL https://get.docker.com",
            False,
        ),
        ("docker compose up", "docker-compose up", False),
        # punctuation around a word is not part of it, on either side
        ("kill -9 pid:", "then kill -9 pid.", True),
        # fewer than two words to match exactly: matched as prose (half of its words)
        ("cat /sys/fs/cgroup/memory/docker/<id>/memory.max_usage_in_bytes", "cat the file", False),
        (
            "cat /sys/fs/cgroup/memory/docker/<id>/memory.max_usage_in_bytes",
            "the cgroup memory max usage in bytes for the docker id",
            True,
        ),
        # of a pipeline, the part with the most words to match
        ('echo "pw" | docker secret create db_password -', "echo it", False),
        (
            'echo "pw" | docker secret create db_password -',
            "docker secret create db_password",
            True,
        ),
    ]:
        assert feedback([KeyPoint(point, "code")], said).covered == hit, (point, said)
    words = KeyPoint("Copying layers", "list")
    assert feedback([words], "it copies a LAYER").covered == 1
    assert feedback([], "anything").suggestion is None
    assert [suggest(x) for x in (0.0, 0.29, 0.3, 0.6, 0.89, 0.9, 1.0)] == [1, 1, 2, 3, 3, 4, 4]


def test_no_corpus_question_has_junk_or_duplicate_points() -> None:
    # the family of the pinned cases: every question of the corpus, as the drill asks it
    step = re.compile(r"^Step \d+\b")
    with_points = 0
    for q in dockerqa.load():
        text = "\n\n".join(v for v in (q.answer, q.strong_answer, q.steps) if v)
        points = key_points(text)
        with_points += bool(points)
        texts = [p.text.casefold() for p in points]
        assert len(texts) == len(set(texts)), (q.id, texts)
        assert all(p.text.strip() and not step.match(p.text) for p in points), (q.id, texts)
        bold = {p.text.casefold() for p in points if p.kind == "bold"}
        heads = [t for p, t in zip(points, texts, strict=True) if p.kind == "list"]
        assert not [(b, h) for b in bold for h in heads if b in h and b != h], q.id
        assert all(p.kind != "table" or not p.text.startswith("docker ") for p in points)
    assert with_points >= 80
