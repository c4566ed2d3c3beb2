"""README.md and .ci/run stay true to each other."""

from __future__ import annotations

import re
import sys

from conftest import ROOT


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```(?:bash|sh)\n(.*?)```", text, re.S)
    assert first_block, "README.md must start with a shell block"
    return [ln for ln in first_block.group(1).splitlines() if ln and not ln.startswith("#")]


def test_readme_opens_with_setup_and_test_commands() -> None:
    setup, test = _readme_commands()
    assert "python3 -m venv .venv" in setup and "dockerqa export anki" in setup
    assert "pytest" in test


def test_ci_runs_exactly_the_readme_test_command() -> None:
    _, test = _readme_commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test in ci


def test_corpus_is_the_seed_verbatim_with_provenance() -> None:
    seed = ROOT.parent / "shared" / "seeds" / "000_d7077a9fd2a4693c.txt"
    corpus = (ROOT / "corpus" / "docker.mdx").read_bytes()
    if seed.exists():
        assert corpus == seed.read_bytes()
    assert len(corpus.splitlines()) == 2471
    assert "verbatim" in (ROOT / "corpus" / "PROVENANCE.md").read_text(encoding="utf-8")


def test_readme_pictures_exist_with_a_phone_view_day_and_night() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    pictures = re.findall(r"\]\((docs/screenshots/[^)]+\.png)\)", text)
    assert [p for p in pictures if not (ROOT / p).is_file()] == []
    assert {f"docs/screenshots/card-back-phone-{m}.png" for m in ("day", "night")} <= set(pictures)


def test_readme_lists_the_forms_of_the_rule_tables() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    import grammar

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert grammar.readme_part(readme) == grammar.markdown()
