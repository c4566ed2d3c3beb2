"""The metadata file (``NAME.toml``): every value checked, every problem one line with its key."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import dockerqa
from conftest import FIXTURES
from dockerqa import MetadataError
from dockerqa._meta import read_meta

SMALL = FIXTURES / "exporters" / "small.mdx"


def _page(tmp_path: Path, toml: str) -> Path:
    page = tmp_path / "page.mdx"
    shutil.copyfile(SMALL, page)
    page.with_suffix(".toml").write_text(toml, encoding="utf-8")
    return page


GOOD_SECTION = '[[sections]]\nheading = "Candidate Comparison Patterns"\nid = "comparisons"\n'


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ('title = "T"\nlevels = [1]\n', r"page\.toml:2: levels: must be a table"),
        ("title = 5\n", r"page\.toml:1: title: must be a string"),
        ('title = "T"\ntopics.x = 5\n', r"page\.toml:2: topics\.x: must be an array of strings"),
        ('[topics]\nx = ["a", 2]\n', r"page\.toml:2: topics\.x\[2\]: must be a string"),
        (
            GOOD_SECTION + '[[sections]]\nheading = "Other"\n[sections.id]\nx = 1\n',
            r"page\.toml:6: sections\[2\]\.id: must be a string",
        ),
        (
            'titel = "T"\n',
            r"page\.toml:1: titel: unknown key \(known: key, levels, provenance, sections, "
            r"source_url, title, topics\)",
        ),
        (
            GOOD_SECTION + 'levle = "basic"\n',
            r"page\.toml:4: sections\[1\]\.levle: unknown key \(known: heading, id, level\)",
        ),
        ('[[sections]]\nid = "x"\n', r"page\.toml:1: sections\[1\]\.heading: missing"),
        (
            GOOD_SECTION + 'level = "expert"\n',
            r"page\.toml:4: sections\[1\]\.level: unknown level 'expert' "
            r"\(choose from basic, intermediate, advanced\)",
        ),
        ('[levels]\n"a/b" = 3\n', r"page\.toml:2: levels\.a/b: unknown level 3 \(choose from "),
        ('key = "Docker"\n', r"page\.toml:1: key: must be a lowercase slug"),
        ('key = ".x"\n', r"page\.toml:1: key: must be a lowercase slug"),
        ("key = 1\n", r"page\.toml:1: key: must be a string"),
        ('title = "T\n', r"page\.toml:1: invalid TOML: "),
        ("sections = 3\n", r"page\.toml:1: sections: must be an array of tables"),
    ],
    ids=[
        "levels-list",
        "title-int",
        "topic-int",
        "topic-keyword-int",
        "section-id-table",
        "unknown-top-key",
        "unknown-section-key",
        "section-without-heading",
        "unknown-level",
        "question-level-int",
        "key-uppercase",
        "key-leading-dot",
        "key-int",
        "bad-toml",
        "sections-not-array",
    ],
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
    assert dockerqa.load(page).metadata.title == "Keyed"


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
    found = [(d.code, d.message) for d in dockerqa.load(page).diagnostics]
    assert found == [
        (
            "unused-metadata",
            "the metadata's [[sections]] heading '1. Core Concept' matches no section heading",
        ),
        (
            "unused-metadata",
            "the metadata's [levels] id 'core-concepts/pod-vs-contaner' is no question of the page",
        ),
    ]
