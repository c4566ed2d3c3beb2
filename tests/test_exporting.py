"""The exporter registry: entry points, lazy loading, third-party plugins, safe writes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import dockerqa
from conftest import CORPUS, run_cli
from dockerqa import ExportError, __version__
from dockerqa.exporting import Exporter, Option

BUILTINS = {
    "anki": "dockerqa.exporters.anki:AnkiExporter",
    "csv": "dockerqa.exporters.csv:CSVExporter",
    "html": "dockerqa.exporters.html:HTMLExporter",
    "json": "dockerqa.exporters.json:JSONExporter",
}


def _python(code: str, **env: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=True,
    )
    return result.stdout.strip()


def test_builtins_are_registered_through_entry_points() -> None:
    # Other installed plugins may add names; the four built-ins are always there, as declared.
    available = dockerqa.available_exporters()
    assert {name: available.get(name) for name in BUILTINS} == BUILTINS


def test_builtins_declare_the_contract() -> None:
    expected = {
        "anki": (True, True, "{key}.apkg"),
        "csv": (True, False, "{key}.csv"),
        "html": (False, False, "{key}-cheatsheet.html"),
        "json": (False, False, "{key}.json"),
    }
    for name, (needs_lock, binary, filename) in expected.items():
        cls = dockerqa.get_exporter(name)
        assert issubclass(cls, Exporter) and cls.name == name
        assert (cls.needs_lock, cls.binary, cls.default_filename) == (needs_lock, binary, filename)
        assert cls().filename() == filename.format(key="dockerqa")  # the bundled corpus
        assert cls().filename("k8s") == filename.format(key="k8s")  # another page
        assert not hasattr(cls, "suffix"), "suffix was replaced by filename()"
        assert all(isinstance(o, Option) for o in cls.options)
        assert set(cls().settings) == {o.name for o in cls.options}


def test_import_and_listing_load_no_exporter_and_no_click() -> None:
    out = _python(
        "import sys, dockerqa; dockerqa.available_exporters(); lib = dockerqa.load();"
        "print(sorted(m for m in sys.modules if m.startswith(('dockerqa.exporters.', 'click',"
        " 'genanki', 'jinja2', 'anki'))))"
    )
    assert out == "[]"


def test_unknown_exporter_names_the_choices() -> None:
    with pytest.raises(ExportError) as info:
        dockerqa.get_exporter("ankii")
    available = ", ".join(sorted(dockerqa.available_exporters()))
    assert str(info.value) == f"unknown exporter 'ankii' (available: {available})"
    assert {"anki", "csv", "html", "json"} <= set(dockerqa.available_exporters())


def test_exporter_rejects_options_it_does_not_take(
    corpus: dockerqa.Library, tmp_path: Path
) -> None:
    with pytest.raises(
        ExportError, match=r"^the json exporter takes no option plain \(accepted: none\)$"
    ):
        dockerqa.export(corpus, "json", tmp_path / "x.json", plain=True)
    with pytest.raises(ExportError, match=r"'all' takes no exporter options"):
        dockerqa.export(corpus, "all", tmp_path, compact=True)
    assert not list(tmp_path.iterdir())


def test_option_conversion() -> None:
    flag = Option("compact", "two columns", type=bool, default=False)
    assert [flag.convert(v) for v in (None, True, "yes", "off", "0")] == [
        False, True, True, False, False,
    ]  # fmt: skip
    with pytest.raises(ExportError, match="option compact: expected true or false"):
        flag.convert("perhaps")
    cards = Option("cards", "which cards", multiple=True, default=("main",),
                   choices=("main", "follow-up", "red-flag"))  # fmt: skip
    assert cards.convert(None) == ("main",)
    assert cards.convert("main, red-flag") == ("main", "red-flag")
    assert cards.convert(["follow-up"]) == ("follow-up",)
    with pytest.raises(ExportError, match=r"unknown value 'red-flags' \(choose from main, "):
        cards.convert("red-flags")
    with pytest.raises(ExportError, match="option cards: choose from"):
        cards.convert(" , ")
    number = Option("size", "how many", type=int, default=3)
    assert (number.convert(None), number.convert("12")) == (3, 12)
    with pytest.raises(ExportError, match="expected a whole number, not 'x'"):
        number.convert("x")
    assert flag.flag == "--compact" and Option("min_x", "").flag == "--min-x"


def test_export_all_builds_everything_before_writing(tmp_path: Path) -> None:
    page = _corpus_copy(tmp_path)
    out = tmp_path / "out"
    reports: list[str] = []
    written = dockerqa.export(page, "all", out, filters={"level": "basic"}, report=reports.append)
    names = {p.name for p in written}
    assert {
        "dockerqa.apkg", "dockerqa.csv", "dockerqa-cheatsheet.html", "dockerqa.json",
    } <= names  # fmt: skip
    assert all(p.parent == out and p.is_file() for p in written)
    assert [r for r in reports if r.startswith("wrote ")] == [f"wrote {p}" for p in written]
    assert page.with_suffix(".lock").is_file()
    with pytest.raises(ExportError, match="give a directory, not '-'"):
        dockerqa.export(page, "all", "-")
    with pytest.raises(ExportError, match="binary: give a file, not '-'"):
        dockerqa.export(page, "anki", "-")
    with pytest.raises(ExportError, match="refusing to write over the page's own file"):
        dockerqa.export(page, "json", page)


def _corpus_copy(tmp_path: Path) -> Path:
    """A copy of the corpus page and its metadata (exporting a page keeps a lock beside it)."""
    page = tmp_path / "src" / CORPUS.name
    page.parent.mkdir()
    for f in (CORPUS, CORPUS.with_suffix(".toml")):
        page.parent.joinpath(f.name).write_bytes(f.read_bytes())
    return page


PLUGIN = """
from dockerqa import ExportContext, Exporter, Library, Option

class TitlesExporter(Exporter):
    name = "titles"
    description = "one title per line"
    default_filename = "titles.txt"
    options = (Option("numbered", "Number the lines.", type=bool, default=False),)

    def build(self, library: Library, context: ExportContext) -> bytes:
        lines = [f"{q.id}\\t{q.title}" for q in library]
        if self.settings["numbered"]:
            lines = [f"{i}. {line}" for i, line in enumerate(lines, 1)]
        return "".join(f"{context.key}:{line}\\n" for line in lines).encode()


class Clash(TitlesExporter):
    name = "clash"
    default_filename = "{key}.csv"


class Text(TitlesExporter):
    name = "text"

    def stream(self, library, context):
        yield "not bytes"


class Nothing(TitlesExporter):
    name = "nothing"

    def stream(self, library, context):
        return None
"""


def _install_plugin(root: Path, entry_points: str, name: str = "titles_plugin") -> dict[str, str]:
    """A throwaway distribution (module + dist-info with entry points) on PYTHONPATH."""
    (root / f"{name}.py").write_text(PLUGIN)
    info = root / f"{name}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[dockerqa.exporters]\n" + textwrap.dedent(entry_points))
    return {"PYTHONPATH": str(root)}


def test_third_party_exporter_installed_through_an_entry_point(tmp_path: Path) -> None:
    env = _install_plugin(tmp_path, "titles = titles_plugin:TitlesExporter\n")
    listed = run_cli("exporters", env=env)
    assert "titles   titles_plugin:TitlesExporter" in listed.stdout
    page = _corpus_copy(tmp_path)
    out = tmp_path / "out" / "t.txt"
    out.parent.mkdir()  # an explicit --out names a file in an existing directory
    source = ["--source", str(page)]
    result = run_cli("export", "titles", *source, "--level", "basic", "--out", str(out), env=env)
    assert result.returncode == 0, result.stderr
    lines = out.read_text().splitlines()
    assert len(lines) == 20
    assert lines[0] == "dockerqa:fundamentals/vm-vs-container\tVM vs Container"
    # The plugin's own option becomes a flag and an -o KEY=VALUE, like a built-in's.
    for flag in (["--numbered"], ["-o", "numbered=true"]):
        result = run_cli(
            "export", "titles", *source, *flag, "--level", "basic", "--out", str(out), env=env
        )
        assert result.returncode == 0, result.stderr
        assert out.read_text().splitlines()[0] == (
            "dockerqa:1. fundamentals/vm-vs-container\tVM vs Container"
        )
    listed_help = run_cli("export", "titles", "--help", env=env)
    assert "--numbered" in listed_help.stdout and "Number the lines." in listed_help.stdout
    group_help = run_cli("export", "--help", env=env)
    assert group_help.returncode == 0, group_help.stderr
    commands = group_help.stdout.split("Formats", 1)[1].split()
    assert {"anki", "csv", "html", "json", "titles", "all"} <= set(commands)


@pytest.mark.parametrize(
    "command", [("exporters",), ("export", "--help"), ("export", "json", "--out", "x.json")]
)
def test_duplicate_exporter_name_names_both_owners(tmp_path: Path, command: tuple[str]) -> None:
    env = _install_plugin(tmp_path, "json = titles_plugin:TitlesExporter\n")
    result = run_cli(*command, env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("dockerqa: error: exporter 'json' is declared twice")
    assert result.stderr.count("\n") == 1
    assert f"dockerqa {__version__}" in result.stderr and "titles_plugin 1.0" in result.stderr
    assert not (tmp_path / "x.json").exists()


def test_the_name_all_is_reserved(tmp_path: Path) -> None:
    env = _install_plugin(tmp_path, "all = titles_plugin:TitlesExporter\n")
    result = run_cli("export", "--help", env=env)
    assert result.returncode == 1
    assert result.stderr == (
        "dockerqa: error: exporter name 'all' is reserved for `dockerqa export all`; "
        "titles_plugin 1.0 (titles_plugin:TitlesExporter) declares it: rename it, or "
        "uninstall titles_plugin\n"
    )


def test_export_all_refuses_two_exporters_writing_one_file(tmp_path: Path) -> None:
    # The plugin's default file name is the built-in CSV's: neither may replace the other.
    env = _install_plugin(tmp_path, "clash = titles_plugin:Clash\n")
    page = _corpus_copy(tmp_path)
    out = tmp_path / "out"
    result = run_cli("export", "all", "--source", str(page), "--out", str(out), env=env)
    assert result.returncode == 1
    assert result.stderr == (
        f"dockerqa: error: the clash and csv exporters would both write {out}/dockerqa.csv; "
        "export them one at a time with --out\n"
    )
    assert not out.exists()


@pytest.mark.parametrize(
    ("exporter", "message"),
    [
        ("text", "the text exporter's stream() gave a str, not bytes"),
        ("nothing", "the nothing exporter's stream() gave NoneType, not an iterable of bytes"),
    ],
)
def test_a_stream_of_something_else_than_bytes_is_one_line(
    tmp_path: Path, exporter: str, message: str
) -> None:
    env = _install_plugin(tmp_path, f"{exporter} = titles_plugin:{exporter.title()}\n")
    page = _corpus_copy(tmp_path)
    out = tmp_path / "out.txt"
    out.write_text("before")
    result = run_cli("export", exporter, "--source", str(page), "--out", str(out), env=env)
    assert (result.returncode, result.stderr) == (1, f"dockerqa: error: {message}\n")
    assert out.read_text() == "before" and sorted(os.listdir(tmp_path)) == [
        "out.txt", "src", "titles_plugin-1.0.dist-info", "titles_plugin.py",
    ]  # fmt: skip


def test_broken_plugin_warns_when_listing_and_fails_only_when_chosen(tmp_path: Path) -> None:
    env = _install_plugin(tmp_path, "broken = no_such_module:Nothing\n")
    listed = run_cli("exporters", "--verbose", env=env)
    assert listed.returncode == 0
    assert "json" in listed.stdout
    assert "warning: exporter 'broken'" in listed.stderr
    page = _corpus_copy(tmp_path)
    json_out = tmp_path / "j.json"
    other = run_cli("export", "json", "--source", str(page), "--out", str(json_out), env=env)
    assert other.returncode == 0, other.stderr
    assert json_out.is_file()
    chosen = run_cli(
        "export", "broken", "--source", str(page), "--out", str(tmp_path / "x"), env=env
    )
    # Choosing it fails with one line (a DockerQAError), no traceback.
    assert chosen.returncode == 1  # a DockerQAError: one line, status 1
    assert chosen.stderr.count("\n") == 1 and "cannot be loaded" in chosen.stderr
    assert "Traceback" not in chosen.stderr
    assert not (tmp_path / "x").exists()
    # The Python API says the same with an ExportError.
    code = (
        "import dockerqa\n"
        "try:\n    dockerqa.get_exporter('broken')\n"
        "except dockerqa.ExportError as exc:\n    print(exc)\n"
    )
    assert _python(code, **env).startswith(
        "exporter 'broken' (no_such_module:Nothing) cannot be loaded: "
    )


def test_a_broken_plugin_does_not_break_the_export_help(tmp_path: Path) -> None:
    # Listing must not load every exporter fatally: a broken plugin fails only when chosen.
    env = _install_plugin(tmp_path, "broken = no_such_module:Nothing\n")
    group_help = run_cli("export", "--help", env=env)
    assert group_help.returncode == 0, group_help.stderr
    commands = group_help.stdout.split("Formats", 1)[1].split()
    assert {"anki", "csv", "html", "json", "broken", "all"} <= set(commands)


def test_unwritable_destination_is_an_export_error(
    corpus: dockerqa.Library, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(ExportError, match="cannot write"):
        dockerqa.export(corpus, "json", blocker / "sub" / "x.json")
