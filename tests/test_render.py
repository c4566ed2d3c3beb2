"""The shared Markdown renderer: goldens, highlighting, callouts, hostile input and its CSS."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CORPUS, FIXTURES
from dockerqa.render import BASE_CSS, pygments_css, render_inline, render_markdown

RENDER = FIXTURES / "render"
CASES = sorted(RENDER.glob("*.md"))
#: Set to regenerate the goldens after a deliberate change (then read the diff).
REGENERATE = bool(os.environ.get("DOCKERQA_REGENERATE_GOLDENS"))

#: Every tag and attribute the renderer may emit; anything else came from the input.
ALLOWED_TAGS = frozenset(
    {"a", "aside", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6"}
    | {"hr", "li", "ol", "p", "pre", "s", "span", "strong", "ul"}
    | {"table", "thead", "tbody", "tr", "th", "td"}
)
ALLOWED_ATTRS = frozenset({"class", "href", "title", "data-lang", "start", "style"})
_ALIGN = re.compile(r"text-align:(left|center|right)")
_BAD_SCHEME = re.compile(r"^(javascript|vbscript|data|file):", re.IGNORECASE)
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")


class _Tags(HTMLParser):
    """Every start tag with its attributes, as an HTML parser sees them."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def assert_safe(html: str) -> None:
    """Only the renderer's own tags and attributes, no script, no handler, no live bad link."""
    assert "<script" not in html.lower()
    assert set(re.findall(r"<([A-Za-z][^\s>/]*)", html)) <= ALLOWED_TAGS, html
    for tag, attrs in _Tags(html).tags:
        assert tag in ALLOWED_TAGS, (tag, html)
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert set(attrs) <= ALLOWED_ATTRS, (tag, attrs)
        if "style" in attrs:
            assert tag in ("th", "td") and _ALIGN.fullmatch(attrs["style"] or ""), attrs
        href = _IGNORED.sub("", attrs.get("href") or "")
        assert not _BAD_SCHEME.match(href), (tag, attrs)


def visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


# --------------------------------------------------------------------------- goldens


def test_fixture_glob_matches_files() -> None:
    assert len(CASES) >= 7
    for case in CASES:
        assert case.with_suffix(".html").is_file(), f"{case.name} has no golden"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_golden(case: Path) -> None:
    html = render_markdown(case.read_text(encoding="utf-8"))
    golden = case.with_suffix(".html")
    if REGENERATE:
        golden.write_bytes(html.encode("utf-8"))
    assert html == golden.read_bytes().decode("utf-8")
    assert_safe(html)


def test_output_is_deterministic_across_interpreters() -> None:
    here = "".join(render_markdown(c.read_text(encoding="utf-8")) for c in CASES)
    assert here == "".join(render_markdown(c.read_text(encoding="utf-8")) for c in CASES)
    code = (
        "import sys, pathlib; from dockerqa.render import render_markdown\n"
        "sys.stdout.buffer.write(''.join(render_markdown(pathlib.Path(p).read_text("
        "encoding='utf-8')) for p in sys.argv[1:]).encode('utf-8'))"
    )
    for seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "TZ": "Asia/Kolkata"}
        out = subprocess.run(
            [sys.executable, "-c", code, *map(str, CASES)],
            env=env,
            capture_output=True,
            check=True,
            timeout=120,
        ).stdout
        assert out.decode("utf-8") == here


# --------------------------------------------------------------------------- blocks


def test_tables_are_wrapped_to_scroll() -> None:
    html = render_markdown("| a | b |\n|---|---|\n| `1` | **2** |\n\n| c |\n|---|\n| 3 |")
    assert html.count('<div class="table-wrap">\n<table>') == 2
    assert html.count("</table>\n</div>") == 2
    assert "<td><code>1</code></td>" in html and "<td><strong>2</strong></td>" in html


def test_code_fence_nested_in_a_list_item() -> None:
    html = render_markdown("1. Build:\n\n   ```dockerfile\n   FROM alpine\n   ```\n\n2. Run.")
    item = html.split("<li>")[1]
    assert '<div class="code-block" data-lang="dockerfile">' in item
    assert '<span class="k">FROM</span>' in item
    assert item.index("</pre>") < item.index("</li>")


#: A snippet per language and pygments token classes it must produce.
LANGUAGES = {
    "dockerfile": ('FROM alpine:3.19\nCMD ["sh"]\n', ['class="k"', 'class="s2"']),
    "bash": ('echo "hi $HOME"\nexport A=1\n', ['class="nb"', 'class="s2"', 'class="nv"']),
    "yaml": ('services:\n  web:\n    image: "nginx"\n', ['class="nt"', 'class="s"']),
    "json": ('{"restart": "always", "n": 1}\n', ['class="nt"', 'class="s2"', 'class="mi"']),
    "javascript": ('const a = require("x");\n', ['class="kd"', 'class="s2"', 'class="nx"']),
    "python": ('def f():\n    return "x"\n', ['class="k"', 'class="nf"', 'class="s2"']),
    "go": ('package main\nfunc main() { fmt.Println("x") }\n', ['class="kn"', 'class="s"']),
    "hcl": ('resource "docker_image" "web" {\n  name = "nginx"\n}\n', ['class="kr"']),
}


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_each_language_is_highlighted_with_classes(lang: str) -> None:
    code, classes = LANGUAGES[lang]
    html = render_markdown(f"```{lang}\n{code}```")
    assert html.startswith(f'<div class="code-block" data-lang="{lang}">')
    assert f'<div class="code-lang">{lang}</div>' in html
    assert '<div class="highlight"><pre>' in html
    for cls in classes:
        assert cls in html, (lang, cls, html)
    assert "style=" not in html  # colours come from CSS only, so night mode can change them
    pre = html[html.index("<pre>") : html.index("</pre>")]
    assert unescape(visible_text(pre)) == code  # highlighting changes no character


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("sh", "bash"),
        ("shell", "bash"),
        ("js", "javascript"),
        ("py", "python"),
        ("yml", "yaml"),
        ("golang", "go"),
        ("Dockerfile", "dockerfile"),
        ("docker", "dockerfile"),
    ],
)
def test_language_aliases_use_the_same_lexer(alias: str, name: str) -> None:
    code = LANGUAGES[name][0]
    ours = render_markdown(f"```{alias}\n{code}```")
    theirs = render_markdown(f"```{name}\n{code}```")
    assert ours.split("</div>\n", 1)[1] == theirs.split("</div>\n", 1)[1]
    assert f'data-lang="{alias.lower()}"' in ours


@pytest.mark.parametrize("info", ["", "not-a-language", "mdx title=x"])
def test_unknown_or_missing_language_is_escaped_text(info: str) -> None:
    html = render_markdown(f"```{info}\n<b>bold</b> & x\n```")
    assert "<pre><code>&lt;b&gt;bold&lt;/b&gt; &amp; x\n</code></pre>" in html
    assert "<span" not in html
    assert ("data-lang" in html) == bool(info)


def test_indented_code_is_a_plain_code_block() -> None:
    html = render_markdown("    docker ps <id>\n")
    assert html == (
        '<div class="code-block">\n'
        '<div class="highlight"><pre><code>docker ps &lt;id&gt;\n</code></pre></div>\n</div>\n'
    )


def test_mermaid_is_a_readable_preformatted_diagram() -> None:
    html = render_markdown('```mermaid\ngraph TD\n  A["x <y>"] --> B\n```')
    assert (
        '<pre class="mermaid-diagram">graph TD\n  A&#91;&quot;x &lt;y&gt;&quot;] --&gt; B\n</pre>'
        in html
    )
    assert 'class="mermaid"' not in html and "<script" not in html and "<span" not in html
    # A labelled block: the reader sees that this text is a diagram's source.
    assert html.startswith(
        '<div class="code-block" data-lang="mermaid">'
        '<div class="code-lang">Diagram (Mermaid source)</div>\n<pre class="mermaid-diagram">'
    )


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("note", "Note"),
        ("tip", "Tip"),
        ("info", "Info"),
        ("warning", "Warning"),
        ("check", "Check"),
        ("danger", "Danger"),
        ("frame", "Frame"),  # an unknown component keeps its name
        ("code-group", "Code-group"),
    ],
)
def test_callouts(name: str, label: str) -> None:
    html = render_markdown(f"::: {name}\n\n* **one**\n* `two`\n\n:::")
    assert html == (
        f'<aside class="callout callout-{name}">\n'
        f'<p class="callout-title"><strong>{label}</strong></p>\n'
        "<ul>\n<li><strong>one</strong></li>\n<li><code>two</code></li>\n</ul>\n</aside>\n"
    )


def test_callout_title_and_nesting() -> None:
    html = render_markdown(
        ":::: note Read *this* <b>\n\nOuter.\n\n::: tip\n\nInner.\n\n:::\n\n::::"
    )
    assert html.startswith(
        '<aside class="callout callout-note">\n'
        '<p class="callout-title"><strong>Note: Read <em>this</em> &lt;b&gt;</strong></p>\n'
    )
    assert html.count("<aside") == html.count("</aside>") == 2
    assert html.index('callout-tip"') < html.index("</aside>")


def test_colons_that_are_not_a_callout_stay_text() -> None:
    assert (
        render_markdown("::: Note\n\ntext\n\n:::") == "<p>::: Note</p>\n<p>text</p>\n<p>:::</p>\n"
    )
    assert render_markdown("a ::: note b") == "<p>a ::: note b</p>\n"


# --------------------------------------------------------------------------- inline


def test_inline_markup_leaves_no_markdown_markers() -> None:
    html = render_markdown("Use **`docker run --rm`** and *then* ~~never~~ `-p 80:80`.")
    assert html == (
        "<p>Use <strong><code>docker run --rm</code></strong> and <em>then</em> <s>never</s> "
        "<code>-p 80:80</code>.</p>\n"
    )
    assert "**" not in html and "`" not in html


def test_render_inline_has_no_paragraph() -> None:
    assert render_inline("What does `docker run -p` do? **Really**") == (
        "What does <code>docker run -p</code> do? <strong>Really</strong>"
    )
    assert render_inline("1. # Not a list or heading") == "1. # Not a list or heading"
    assert render_inline("<script>alert(1)</script> & co") == (
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"
    )
    assert render_inline("") == render_markdown("") == ""


def test_images_become_links() -> None:
    html = render_markdown("![layers](https://example.com/l.png) [![in link](x.png)](https://a.b)")
    assert html == (
        '<p><a class="image-link" href="https://example.com/l.png">layers</a> '
        '<a href="https://a.b">in link</a></p>\n'
    )


@pytest.mark.parametrize(
    "target",
    [
        "https://docs.docker.com/",
        "http://localhost:8080",
        "mailto:ops@example.com",
        "#section",
        "/docs/run",
        "relative/page.md",
        "?q=1",
    ],
)
def test_safe_links_are_live(target: str) -> None:
    assert render_markdown(f"[x]({target})") == f'<p><a href="{target}">x</a></p>\n'


@pytest.mark.parametrize(
    "target",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "data:text/html;base64,PHNjcmlwdD4=",
        "data:image/png;base64,iVBORw0KGgo=",
        "java&#x09;script:alert(1)",
        "%6Aavascript:alert(1)",
        "java%0Ascript:alert(1)",
        "ftp://example.com/",
        "<javascript:alert(1)>",
    ],
)
def test_other_links_stay_text(target: str) -> None:
    for source in (f"[x]({target})", f"![x]({target})", f"[x][r]\n\n[r]: {target}"):
        html = render_markdown(source)
        assert "<a" not in html, html
        assert_safe(html)
    assert "<a" not in render_markdown(f"<{target.strip('<>')}>")


# --------------------------------------------------------------------------- hostile input

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//x.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "text <b onmouseover=alert(1)>bold</b> <svg/onload=alert(1)>",
    '<a href="javascript:alert(1)">a</a>',
    "[x](javascript:alert(1))",
    '[x](https://example.com "a\\" onmouseover=\\"alert(1)")',
    '![x](https://example.com/x.png "onerror=alert(1)")',
    '```"><script>alert(1)</script>\nx\n```',
    '~~~ " onclick="alert(1)\nx\n~~~',
    "::: note <img src=x onerror=alert(1)>\n\nbody\n\n:::",
    "| <script>alert(1)</script> |\n|---|\n| <iframe src=x> |",
    "```mermaid\n</pre><script>alert(1)</script>\n```",
    "<style>body{display:none}</style><iframe src=x></iframe><object data=x>",
    "<!-- comment --><?php echo 1; ?><![CDATA[x]]>",
]


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_input_is_escaped(source: str) -> None:
    html = render_markdown(source)
    assert_safe(html)
    assert_safe(render_inline(source))
    assert "onerror=" not in re.sub(r'"[^"]*"', "", "".join(re.findall(r"<[^>]*>", html)))


def test_hostile_fixture_text_survives_as_text() -> None:
    html = render_markdown((RENDER / "hostile.md").read_text(encoding="utf-8"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'href="javascript:' not in html.lower()
    assert [a["href"] for t, a in _Tags(html).tags if t == "a"] == [
        "https://example.com/?q=%3Cscript%3E",
        "https://example.com",
    ]


_FRAGMENTS = st.sampled_from(
    [
        "<script>", "</script>", "<img src=x onerror=alert(1)>", "<", ">", "&", "&#x09;", '"',
        "'", "\n", "\n\n", "    ", "* ", "1. ", "> ", "| a |\n|---|\n", "```", "~~~", "::: ",
        ":::", "::::", "note", "mermaid", "bash", "[x](", "![y](", "javascript:", "data:",
        "java\tscript:", "on", "error=", "load=", ")", "]", "**", "`", "_", "\\", "---", "#",
    ]
)  # fmt: skip
_MARKDOWNISH = st.lists(_FRAGMENTS | st.text(max_size=8), max_size=40).map("".join)


@settings(deadline=None, max_examples=300)
@given(st.text() | _MARKDOWNISH)
def test_any_text_renders_safely(text: str) -> None:
    assert_safe(render_markdown(text))
    assert_safe(render_inline(text))


# --------------------------------------------------------------------------- CSS


def _rules(css: str) -> list[tuple[str, str]]:
    """(selector, body) of each innermost rule, comments removed."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return [(s.strip(), b) for s, b in re.findall(r"([^{}]+)\{([^{}]*)\}", css)]


def test_pygments_css_has_day_night_and_dark_scheme_palettes() -> None:
    css = pygments_css()
    assert css.count("{") == css.count("}")
    rules = _rules(css)
    day = {s.removeprefix(".highlight ") for s, _ in rules if s.startswith(".highlight .")}
    night = {
        s.split(", ")[0].removeprefix(".nightMode .highlight ")
        for s, _ in rules
        if s.startswith(".nightMode .highlight .")
    }
    web = {
        s.removeprefix(".highlight:not(.card *) ")
        for s, _ in rules
        if s.startswith(".highlight:not(.card *) .")
    }
    assert {".k", ".nb", ".s2", ".nt", ".kd", ".c"} <= day
    assert day <= night == web, "every day colour has a night colour"
    for selector, _ in rules:
        if selector.startswith(".nightMode"):
            scopes = {part.split(" .highlight")[0] for part in selector.split(", ")}
            assert scopes == {
                ".nightMode", ".night_mode", ".card.nightMode", ".card.night_mode",
                ".nightMode .card", ".night_mode .card",
            }  # fmt: skip
    # Token rules only: nothing unscoped (pygments' ``pre { ... }``), no block background.
    assert all(".highlight" in s for s, _ in rules)
    assert not [s for s, _ in rules if s.endswith(".highlight")], "no block background"
    assert "@media screen and (prefers-color-scheme: dark) {" in css
    assert css.index(".highlight .k {") < css.index(".nightMode .highlight .k")


def test_base_css_defines_colours_and_keeps_code_inside_the_card() -> None:
    css = BASE_CSS
    assert css.count("{") == css.count("}")
    rules = dict(_rules(css))
    for name in ("--fg", "--bg", "--muted", "--border", "--code-bg", "--accent"):
        assert css.count(f"{name}:") == 3, name  # day, night mode, dark colour scheme
    assert rules[":root, .card"].count("--") == rules[":root"].count("--")
    night = next(s for s in rules if s.startswith(".nightMode, .night_mode"))
    assert ".card.nightMode" in night and ".nightMode .card" in night
    assert "@media screen and (prefers-color-scheme: dark)" in css
    for selector in ("pre", ".table-wrap"):
        assert "overflow-x: auto" in rules[selector] and "max-width: 100%" in rules[selector]
    for selector in ("code", ".callout", ".callout-title", "details", "details > summary"):
        assert selector in rules, selector
    for name in ("note", "tip", "info", "warning", "check", "danger"):
        assert f".callout-{name}" in rules, name


# --------------------------------------------------------------------------- render once


def test_export_all_renders_and_highlights_each_distinct_text_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over a whole ``export all`` markdown-it renders each distinct text once and pygments
    highlights each distinct code block once, however many exporters and cards use them."""
    from dockerqa import render
    from dockerqa.pipeline import export

    for name in ("docker.mdx", "docker.toml", "docker.lock"):
        (tmp_path / name).write_bytes((CORPUS.parent / name).read_bytes())
    for cached in (render.render_markdown, render.render_inline, render._code_block):
        cached.cache_clear()
    renders: list[str] = []
    highlights: list[tuple[str, str]] = []

    def counted(method: str) -> object:
        real = getattr(render._MD, method)

        def call(text: str, env: object = None) -> str:
            renders.append(f"{method}:{text}")
            return real(text, env)  # type: ignore[no-any-return]

        return call

    real_highlight = render.highlight

    def counted_highlight(code: str, lexer: object, formatter: object) -> str:
        highlights.append((code, type(lexer).__name__))
        return real_highlight(code, lexer, formatter)  # type: ignore[no-any-return]

    monkeypatch.setattr(render._MD, "render", counted("render"))
    monkeypatch.setattr(render._MD, "renderInline", counted("renderInline"))
    monkeypatch.setattr(render, "highlight", counted_highlight)
    export(tmp_path / "docker.mdx", "all", tmp_path / "out")

    blocks = render.render_markdown.cache_info()
    inline = render.render_inline.cache_info()
    assert len(renders) == len(set(renders)) == blocks.currsize + inline.currsize
    assert blocks.currsize > 300 and blocks.hits > blocks.currsize  # used, and used again
    assert len(highlights) == len(set(highlights)) > 50
    assert len(highlights) <= render._code_block.cache_info().currsize


@pytest.mark.parametrize(
    "text",
    [
        "[sound:x.mp3]",
        "[latex]x[/latex]",
        "[$]x[/$]",
        "[$$]x[/$$]",
        "`[sound:x.mp3]`",
        "```bash\necho '[sound:x.mp3]'\n```",
        "```\n[$]x[/$]\n```",
        "::: note [sound:t.mp3]\n\nx\n:::",
    ],
)
def test_anki_markup_comes_out_without_a_bracket(text: str) -> None:
    html = render_markdown(text)
    assert "[" not in html and "&#91;" in html
    assert "[" not in render_inline(text.splitlines()[0])
