"""The metadata file (``NAME.toml``): every value checked, every problem one line with its key."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import dockerqa
from conftest import FIXTURES, run_cli
from dockerqa import MetadataError
from dockerqa._meta import read_meta

SMALL = FIXTURES / "exporters" / "small.mdx"


def _page(tmp_path: Path, toml: str) -> Path:
    page = tmp_path / "page.mdx"
    shutil.copyfile(SMALL, page)
    page.with_suffix(".toml").write_text(toml, encoding="utf-8")
    return page


GOOD_SECTION = '[[sections]]\nheading = "Candidate Comparison Patterns"\nid = "comparisons"\n'


#: The catalogue of bad metadata: (id, NAME.toml text, the message after the path, a regex).
#: The API test below and the CLI catalogue in test_bad_input.py both run every row.
BAD_METADATA: list[tuple[str, str, str]] = [
    ("levels-list", 'title = "T"\nlevels = [1]\n', r"page\.toml:2: levels: must be a table"),
    ("title-int", "title = 5\n", r"page\.toml:1: title: must be a string"),
    (
        "topic-int",
        'title = "T"\ntopics.x = 5\n',
        r"page\.toml:2: topics\.x: must be an array of strings",
    ),
    (
        "topic-keyword-int",
        '[topics]\nx = ["a", 2]\n',
        r"page\.toml:2: topics\.x\[2\]: must be a string",
    ),
    (
        "section-id-table",
        GOOD_SECTION + '[[sections]]\nheading = "Other"\n[sections.id]\nx = 1\n',
        r"page\.toml:6: sections\[2\]\.id: must be a string",
    ),
    (
        "unknown-top-key",
        'titel = "T"\n',
        r"page\.toml:1: titel: unknown key \(known: fronts, key, levels, provenance, sections, "
        r"source_url, title, topics\)",
    ),
    (
        "unknown-section-key",
        GOOD_SECTION + 'levle = "basic"\n',
        r"page\.toml:4: sections\[1\]\.levle: unknown key \(known: heading, id, level\)",
    ),
    (
        "section-without-heading",
        '[[sections]]\nid = "x"\n',
        r"page\.toml:1: sections\[1\]\.heading: missing",
    ),
    (
        "unknown-level",
        GOOD_SECTION + 'level = "expert"\n',
        r"page\.toml:4: sections\[1\]\.level: unknown level 'expert' "
        r"\(choose from basic, intermediate, advanced\)",
    ),
    (
        "question-level-int",
        '[levels]\n"a/b" = 3\n',
        r"page\.toml:2: levels\.a/b: unknown level 3 \(choose from ",
    ),
    ("key-uppercase", 'key = "Docker"\n', r"page\.toml:1: key: must be a lowercase slug"),
    ("key-leading-dot", 'key = ".x"\n', r"page\.toml:1: key: must be a lowercase slug"),
    ("key-int", "key = 1\n", r"page\.toml:1: key: must be a string"),
    ("bad-toml", 'title = "T\n', r"page\.toml:1: invalid TOML: "),
    ("sections-not-array", "sections = 3\n", r"page\.toml:1: sections: must be an array of tables"),
    (
        "front-content-not-hex",
        '# fronts\n[fronts."a/b"]\nask = "Why?"\ncontent = "xyz"\n',
        r"page\.toml:4: fronts\.a/b\.content: must be 8 hex digits",
    ),
    (
        "front-without-ask",
        '[fronts."a/b"]\ncontent = "0123abcd"\n',
        r"page\.toml:1: fronts\.a/b\.ask: missing",
    ),
    (
        "front-empty-ask",
        '[fronts."a/b"]\nask = ""\ncontent = "0123abcd"\n',
        r"page\.toml:2: fronts\.a/b\.ask: must not be empty",
    ),
    (
        "front-unknown-key",
        '[fronts."a/b"]\nask = "Why?"\ncontent = "0123abcd"\nanswer = "x"\n',
        r"page\.toml:4: fronts\.a/b\.answer: unknown key \(known: ask, content, lead\)",
    ),
]


@pytest.mark.parametrize(
    ("toml", "expected"), [(t, e) for _, t, e in BAD_METADATA], ids=[n for n, _, _ in BAD_METADATA]
)
def test_bad_metadata_is_one_line_naming_file_line_and_key(
    tmp_path: Path, toml: str, expected: str
) -> None:
    page = _page(tmp_path, toml)
    with pytest.raises(MetadataError, match=f"^{re.escape(str(tmp_path))}/{expected}") as err:
        dockerqa.load(page)
    assert "\n" not in str(err.value)
    assert isinstance(err.value, dockerqa.DockerQAError)


@pytest.mark.parametrize("key", ["docker", "docker-2024", "a.b_c-d", "0day"])
def test_a_valid_page_key(tmp_path: Path, key: str) -> None:
    page = _page(tmp_path, f'key = "{key}"\ntitle = "Keyed"\n')
    assert read_meta(page.with_suffix(".toml")).key == key
    loaded = dockerqa.load(page)  # without the key, its file name would give "page"
    assert (loaded.metadata.key, loaded.metadata.title) == (key, "Keyed")


def test_the_bundled_metadata_is_valid() -> None:
    meta = read_meta(Path(__file__).resolve().parent.parent / "corpus" / "docker.toml")
    assert meta.title == "Docker Interview Questions"
    assert meta.sections["2. Networking & Storage"][0] == "networking-storage"


def test_metadata_that_names_nothing_on_the_page_is_reported(tmp_path: Path) -> None:
    page = tmp_path / "k8s.mdx"
    page.write_text(
        '## 1. Core Concepts\n\n<Accordion title="1. Pod vs Container">\n**Answer**: a\n'
        "</Accordion>\n",
        encoding="utf-8",
    )
    page.with_suffix(".toml").write_text(
        '[[sections]]\nheading = "1. Core Concept"\nlevel = "basic"\n\n'
        '[levels]\n"core-concepts/pod-vs-contaner" = "advanced"\n',
        encoding="utf-8",
    )
    found = [(d.file, d.line, d.code, d.message) for d in dockerqa.load(page).diagnostics]
    toml = str(page.with_suffix(".toml"))
    assert found == [
        (
            toml,
            2,
            "unused-metadata",
            "the metadata's [[sections]] heading '1. Core Concept' matches no section heading",
        ),
        (
            toml,
            6,
            "unused-metadata",
            "the metadata's [levels] id 'core-concepts/pod-vs-contaner' is no question of the page",
        ),
    ]


def _front_of(page: Path, qid: str) -> str:
    from dockerqa.study import front_fingerprint

    return front_fingerprint(dockerqa.load(page).get(qid))


def test_a_written_front_is_asked_and_checked_against_its_question(tmp_path: Path) -> None:
    page = _page(tmp_path, "")
    qid = "basics-setup/image-vs-container"
    fp = _front_of(page, qid)
    toml = f'[fronts."{qid}"]\nask = "How do images and containers differ?"\ncontent = "{fp}"\n'
    page.with_suffix(".toml").write_text(toml, encoding="utf-8")
    lib = dockerqa.load(page)
    assert lib.get(qid).front == dockerqa.model.Front(ask="How do images and containers differ?")
    assert [d for d in lib.diagnostics if d.file.endswith(".toml")] == []
    # the front is part of what the question shows (its JSON, the lock's content); a question
    # without one serialises as before fronts existed
    assert lib.get(qid).model_dump()["front"] == {"ask": "How do images and containers differ?"}
    assert "front" not in lib.get("basics-setup/ports-quotes-commas").model_dump()


def test_validate_reports_stale_and_unknown_fronts(tmp_path: Path) -> None:
    page = _page(tmp_path, "")
    qid = "basics-setup/image-vs-container"
    fp = _front_of(page, qid)
    page.with_suffix(".toml").write_text(
        f'# fronts\n[fronts."{qid}"]\nask = "How do they differ?"\ncontent = "{fp}"\n\n'
        '[fronts."basics-setup/gone"]\nask = "Gone?"\ncontent = "0123abcd"\n',
        encoding="utf-8",
    )
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("**Answer**", "**Answer**: changed since.", 1), encoding="utf-8")
    assert _front_of(page, qid) != fp  # the question changed under its front
    result = run_cli("validate", str(page), "--strict", cwd=tmp_path)
    assert result.returncode == 1
    toml = page.with_suffix(".toml")
    now = _front_of(page, qid)
    assert (
        f"{toml}:2: stale-front: the front of '{qid}' was written for other content ({fp}); "
        f'check it still fits the question, then set content = "{now}"' in result.stdout
    )
    assert (
        f"{toml}:6: unused-metadata: the metadata's [fronts] id 'basics-setup/gone' is no "
        "question of the page" in result.stdout
    )
    # a stale front still shows until it is rewritten
    assert dockerqa.load(page).get(qid).front is not None
