"""Markdown → HTML for every exporter: one renderer, one set of CSS class names.

Input is the clean Markdown of the model (CommonMark, GFM tables and strikethrough, code fences
with a language, ``::: note`` callout containers). Output is an HTML fragment that is safe to put
in an Anki field or a web page as is:

* raw HTML in the source is escaped as text, never passed through;
* links keep only ``http``, ``https``, ``mailto`` or scheme-less targets; others stay plain text;
* images become links to the image (neither a card nor the offline cheat sheet fetches them);
* code is highlighted with CSS classes only, so night mode can recolour it;
* every ``[`` is written as ``&#91;``, so Anki's own markup in the text (``[sound:x.mp3]``,
  ``[anki:tts]…``, ``[latex]…[/latex]``, ``[$]…[/$]``, ``[$$]…[/$$]``), which Anki finds by
  matching the field's HTML source, never plays a file or becomes a LaTeX image: the card, like
  a browser, shows the text as written. Use `escape_text` for any other text put beside it.

Class names the CSS below relies on: ``table-wrap`` (around each ``<table>``), ``code-block``
with ``data-lang`` and a ``code-lang`` label (around each fence), ``highlight`` (pygments),
``mermaid-diagram`` (a ``<pre>`` holding diagram source, in a ``code-block`` labelled
"Diagram (Mermaid source)"), ``callout callout-NAME`` with a
``callout-title`` (an ``<aside>`` per container) and ``image-link``.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Sequence
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml, unescapeAll
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.container import container_plugin
from pygments import highlight  # type: ignore[import-untyped]
from pygments.formatters import HtmlFormatter  # type: ignore[import-untyped]
from pygments.lexer import Lexer  # type: ignore[import-untyped]
from pygments.lexers import find_lexer_class_by_name  # type: ignore[import-untyped]
from pygments.util import ClassNotFound  # type: ignore[import-untyped]

from dockerqa._blocks import markdown

__all__ = [
    "BASE_CSS",
    "embedded_css",
    "escape_text",
    "pygments_css",
    "render_inline",
    "render_markdown",
]

#: Link schemes that may become live links; a target without a scheme is always allowed.
_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")
#: ``::: name`` or ``::: name Title`` — any lowercase word names a callout.
_CALLOUT = re.compile(r"^\s*([a-z][a-z0-9_-]*)(?:\s+(.*?))?\s*$")
_FORMATTER = HtmlFormatter(cssclass="highlight", nowrap=False, wrapcode=True)
#: What a fence's label says where the language name alone would not, on the cards and in the
#: terminal (diagram source is shown as text: nothing here draws a diagram).
LANG_LABELS = {"mermaid": "Diagram (Mermaid source)"}

#: Pygments styles of code by day, and in night mode (Anki) or a dark colour scheme (web pages).
_DAY_STYLE = "default"
NIGHT_CODE_STYLE = "github-dark"


#: Distinct texts (and code blocks) each cache below keeps. Exporters render the same field
#: several times (a deck, its CSV twin, the cheat sheet; a title on every card of a question),
#: and an LRU cache evicts in the order a run reads, so one smaller than a run's distinct texts
#: would hit nothing on the second pass: the size covers a page about 140 times the corpus
#: (~460 distinct texts, ~70 code blocks per corpus). What it holds is the rendered HTML the
#: exporters hold anyway while they write (about 0.6 MB per corpus-sized page), as immutable
#: strings, so sharing them between runs in one process is safe.
_CACHE_SIZE = 1 << 16


@functools.lru_cache(maxsize=_CACHE_SIZE)
def render_markdown(text: str) -> str:
    """Render Markdown to an HTML fragment; raw HTML in `text` comes out as escaped text.

    Memoised: a text is rendered once per process (``render_markdown.cache_clear()`` drops it).
    """
    out: str = _MD.render(text)
    return _inert(out)


@functools.lru_cache(maxsize=_CACHE_SIZE)
def render_inline(text: str) -> str:
    """Render one line of Markdown (a title) to inline HTML, without a wrapping ``<p>``.

    Memoised like `render_markdown`.
    """
    out: str = _MD.renderInline(text)
    return _inert(out)


def escape_text(text: str) -> str:
    """Plain text as HTML (for a label or a name beside rendered Markdown), Anki markup inert."""
    return _inert(html.escape(text, quote=True))


def _inert(fragment: str) -> str:
    """``[`` as a character reference: Anki's ``[sound:…]`` and LaTeX tags cannot match.

    The renderer's own markup never contains ``[`` and never opens a raw-text element (script,
    style), where a reference would not be decoded; in text and attribute values it is.
    """
    return fragment.replace("[", "&#91;")


# --------------------------------------------------------------------------- Markdown


class _Markdown(MarkdownIt):
    def validateLink(self, url: str) -> bool:
        """Allow scheme-less targets and the schemes in `_SAFE_SCHEMES` only.

        The scheme is read after percent-decoding and dropping control characters and spaces,
        so disguised ones (``java%09script:``, ``%6Aavascript:``) are refused too.
        """
        m = _SCHEME.match(_IGNORED.sub("", unquote(url)))
        return m is None or m.group(1).lower() in _SAFE_SCHEMES


class _Renderer(RendererHTML):
    """markdown-it's HTML renderer with our tables, code blocks and images."""

    def table_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return '<div class="table-wrap">\n' + self.renderToken(tokens, idx, options, env)

    def table_close(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return self.renderToken(tokens, idx, options, env) + "</div>\n"

    def fence(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        info = unescapeAll(token.info).strip()
        lang = info.split(maxsplit=1)[0].lower() if info else ""
        return _code_block(token.content, lang)

    def code_block(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return _code_block(tokens[idx].content, "")

    def image(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        alt = escapeHtml(self.renderInlineAsText(token.children, options, env))
        src = str(token.attrGet("src") or "")
        inside_link = sum(t.nesting for t in tokens[:idx] if t.type in ("link_open", "link_close"))
        if inside_link:  # a link cannot hold another link: keep the description only
            return alt
        return f'<a class="image-link" href="{escapeHtml(src)}">{alt or escapeHtml(src)}</a>'


def _callout(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    if token.nesting == -1:
        return "</aside>\n"
    m = _CALLOUT.match(token.info)
    assert m is not None  # the container only opens on a line that matches
    name, title = m.group(1), m.group(2)
    label = escapeHtml(name.capitalize())
    if title:
        label += ": " + render_inline(title)
    return (
        f'<aside class="callout callout-{name}">\n'
        f'<p class="callout-title"><strong>{label}</strong></p>\n'
    )


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _code_block(code: str, lang: str) -> str:
    """A fenced block: highlighted when pygments knows `lang`, escaped text otherwise.

    Memoised, so a block that occurs in several texts (an answer and a part) is highlighted once.
    """
    if lang == "mermaid":
        body = f'<pre class="mermaid-diagram">{escapeHtml(code)}</pre>\n'
    else:
        lexer = _lexer(lang) if lang else None
        if lexer is None:
            body = f'<div class="highlight"><pre><code>{escapeHtml(code)}</code></pre></div>\n'
        else:
            body = str(highlight(code, lexer, _FORMATTER))
    if not lang:
        return f'<div class="code-block">\n{body}</div>\n'
    attr = escapeHtml(lang)
    label = LANG_LABELS.get(lang, attr)
    return (
        f'<div class="code-block" data-lang="{attr}">'
        f'<div class="code-lang">{label}</div>\n{body}</div>\n'
    )


@functools.lru_cache(maxsize=64)
def _lexer_class(lang: str) -> type[Lexer] | None:
    try:
        cls: type[Lexer] = find_lexer_class_by_name(lang)
    except ClassNotFound:
        return None
    return cls


def _lexer(lang: str) -> Lexer | None:
    cls = _lexer_class(lang)
    return None if cls is None else cls()


_MD = markdown(_Markdown, renderer_cls=_Renderer).use(
    container_plugin,
    name="callout",
    validate=lambda params, markup: _CALLOUT.match(params) is not None,
    render=_callout,
)


# --------------------------------------------------------------------------- CSS

_NIGHT_SCOPES = (
    ".nightMode",
    ".night_mode",
    ".card.nightMode",
    ".card.night_mode",
    ".nightMode .card",
    ".night_mode .card",
)


@functools.cache
def pygments_css() -> str:
    """CSS for highlighted code: a day palette, a night-mode one, and a dark-scheme one.

    Day rules are scoped under ``.highlight``; night rules under ``.nightMode .highlight`` and
    its Anki variants, so they are more specific and win. The ``prefers-color-scheme: dark``
    rules are for web pages and skip anything inside an Anki ``.card``, whose colours follow
    Anki's own night mode, not the system's.
    """
    day = "\n".join(HtmlFormatter(style=_DAY_STYLE).get_token_style_defs(".highlight"))
    night = HtmlFormatter(style=NIGHT_CODE_STYLE)
    anki = "\n".join(night.get_token_style_defs([f"{s} .highlight" for s in _NIGHT_SCOPES]))
    web = "\n".join("  " + rule for rule in night.get_token_style_defs(".highlight:not(.card *)"))
    return (
        f"/* code, day: pygments {_DAY_STYLE} */\n{day}\n"
        f"/* code, night: pygments {NIGHT_CODE_STYLE} */\n{anki}\n"
        f"@media screen and (prefers-color-scheme: dark) {{\n{web}\n}}\n"
    )


_TOKEN_CLASSES = re.compile(r'<span class="([\w-]+)"')
_CSS_CLASS = re.compile(r"\.highlight \.([\w-]+) \{")
#: Night-mode classes an Anki client puts on the body (AnkiMobile on the ``.card`` body too).
_NIGHT_BODY = (".nightMode", ".night_mode")


def _token_rules(style: str, selectors: list[str], used: frozenset[str]) -> list[str]:
    return [rule for token, rule in _style_rules(style, tuple(selectors)) if token in used]


@functools.lru_cache(maxsize=64)
def _style_rules(style: str, selectors: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """A pygments style's rules under ``selectors``, each with its token class (one formatter
    per style and scope: making one costs a millisecond)."""
    rules = HtmlFormatter(style=style).get_token_style_defs(list(selectors))
    return tuple((m.group(1), r) for r in rules if (m := _CSS_CLASS.search(r)))


def embedded_css(fragment: str, scope: str) -> str:
    """A style sheet for one rendered fragment shown where none of this module's CSS is (a
    field of Anki's stock *Basic* note type): empty when the fragment needs none.

    Rules are scoped under ``scope`` (a selector for the fragment's wrapper) and cover only
    what the fragment holds: tables, code blocks with the pygments rules of the token classes
    it uses, inline code and callouts. Colours are custom properties with a day palette and a
    night one under Anki's ``.nightMode``/``.night_mode`` body classes, so night mode can
    recolour everything (inline colours could not be overridden).
    """
    has_table, has_pre = "<table" in fragment, "<pre" in fragment
    has_code, has_callout = "<code" in fragment, 'class="callout' in fragment
    used = frozenset(_TOKEN_CLASSES.findall(fragment)) if has_pre else frozenset()
    return _style_sheet(has_table, has_pre, has_code, has_callout, used, scope)


@functools.lru_cache(maxsize=1024)
def _style_sheet(
    has_table: bool,
    has_pre: bool,
    has_code: bool,
    has_callout: bool,
    used: frozenset[str],
    scope: str,
) -> str:
    """`embedded_css`, cached by what the style sheet depends on (a few dozen distinct
    combinations on a page) rather than by the fragment (thousands of large keys)."""
    if not (has_table or has_pre or has_code or has_callout):
        return ""
    night = ", ".join(f"{n} {scope}" for n in _NIGHT_BODY)
    rules = [
        f"{scope} {{\n{_DAY_VARS}\n}}",
        f"{night} {{\n{_NIGHT_VARS}\n}}",
    ]
    if has_table:
        rules += [
            f"{scope} .table-wrap {{ max-width: 100%; overflow-x: auto; margin: 0.75em 0; }}",
            f"{scope} table {{ border-collapse: collapse; }}",
            f"{scope} th, {scope} td {{ border: 1px solid var(--border); padding: 0.3em 0.6em;"
            " vertical-align: top; text-align: left; }",
            f"{scope} th {{ background: var(--code-bg); }}",
        ]
    if has_code:
        rules.append(
            f"{scope} code {{ font-size: 0.9em; padding: 0.1em 0.3em; border-radius: 4px;"
            " background: var(--inline-code-bg); }"
        )
    if has_pre:
        rules += [
            f"{scope} pre {{ margin: 0; padding: 0.6em 0.8em; border: 1px solid var(--border);"
            " border-radius: 6px; background: var(--code-bg); color: var(--fg);"
            " overflow-x: auto; white-space: pre; line-height: 1.4; font-size: 0.85em;"
            " text-align: left; }",
            f"{scope} pre code {{ font-size: 1em; padding: 0; background: none; }}",
            f"{scope} .code-block {{ margin: 0.75em 0; }}",
            f"{scope} .code-lang {{ font-size: 0.75em; color: var(--muted); }}",
        ]
        rules += _token_rules(_DAY_STYLE, [f"{scope} .highlight"], used)
        rules += _token_rules(
            NIGHT_CODE_STYLE, [f"{n} {scope} .highlight" for n in _NIGHT_BODY], used
        )
    if has_callout:
        rules += [
            f"{scope} .callout {{ margin: 0.75em 0; padding: 0.4em 0.8em;"
            " border-left: 4px solid var(--accent); background: var(--callout-bg); }",
            f"{scope} .callout-title {{ margin: 0.2em 0; font-size: 0.85em; }}",
        ]
    return "\n".join(rules) + "\n"


_DAY_VARS = """\
  --fg: #1f2328; --bg: #ffffff; --muted: #59636e; --border: #d1d9e0;
  --code-bg: #f6f8fa; --inline-code-bg: rgba(129, 139, 152, 0.16); --accent: #0969da;
  --note: #0969da; --info: #0969da; --tip: #1a7f37; --check: #1a7f37;
  --warning: #9a6700; --danger: #cf222e; --callout-bg: rgba(129, 139, 152, 0.08);"""

_NIGHT_VARS = """\
  --fg: #e6edf3; --bg: #1e1e1e; --muted: #9198a1; --border: #3d444d;
  --code-bg: #161b22; --inline-code-bg: rgba(101, 108, 118, 0.35); --accent: #4493f8;
  --note: #4493f8; --info: #4493f8; --tip: #3fb950; --check: #3fb950;
  --warning: #d29922; --danger: #f85149; --callout-bg: rgba(110, 118, 129, 0.12);"""

BASE_CSS = f"""\
/* dockerqa rendered content; colours come from the custom properties below. */
:root, .card {{
{_DAY_VARS}
}}
{", ".join(_NIGHT_SCOPES)} {{
{_NIGHT_VARS}
}}
@media screen and (prefers-color-scheme: dark) {{
  /* web pages only: an Anki .card sets its own colours above */
  :root {{
{_NIGHT_VARS}
  }}
}}
.table-wrap {{
  max-width: 100%; overflow-x: auto; -webkit-overflow-scrolling: touch; margin: 0.75em 0;
}}
.table-wrap > table {{ border-collapse: collapse; margin: 0; }}
.table-wrap th, .table-wrap td {{
  border: 1px solid var(--border); padding: 0.3em 0.6em; vertical-align: top; text-align: left;
}}
.table-wrap th {{ background: var(--code-bg); font-weight: 600; }}
code, pre {{
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace;
}}
code {{
  font-size: 0.9em; padding: 0.1em 0.3em; border-radius: 4px;
  background: var(--inline-code-bg); overflow-wrap: anywhere;
}}
pre {{ max-width: 100%; overflow-x: auto; -webkit-overflow-scrolling: touch; }}
pre code {{
  font-size: 1em; padding: 0; border-radius: 0; background: none; overflow-wrap: normal;
}}
.code-block {{ max-width: 100%; margin: 0.75em 0; }}
.code-lang {{
  font-size: 0.75em; line-height: 1.2; color: var(--muted); margin: 0 0 0.2em;
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
}}
.code-block pre, pre.mermaid-diagram {{
  margin: 0; padding: 0.6em 0.8em; border: 1px solid var(--border); border-radius: 6px;
  background: var(--code-bg); color: var(--fg); white-space: pre; line-height: 1.4;
  font-size: 0.85em; text-align: left;
}}
.highlight {{ max-width: 100%; }}
.callout {{
  --callout: var(--accent);
  margin: 0.75em 0; padding: 0.4em 0.8em; border-left: 4px solid var(--callout);
  border-radius: 0 6px 6px 0; background: var(--callout-bg);
}}
.callout-note {{ --callout: var(--note); }}
.callout-info {{ --callout: var(--info); }}
.callout-tip {{ --callout: var(--tip); }}
.callout-check {{ --callout: var(--check); }}
.callout-warning {{ --callout: var(--warning); }}
.callout-danger {{ --callout: var(--danger); }}
.callout-title {{ margin: 0.2em 0 0.3em; font-size: 0.85em; color: var(--callout); }}
.callout > :last-child {{ margin-bottom: 0.2em; }}
details {{
  margin: 0.75em 0; padding: 0.3em 0.8em; border: 1px solid var(--border); border-radius: 6px;
}}
details > summary {{ cursor: pointer; font-weight: 600; }}
details[open] > summary {{ margin-bottom: 0.4em; }}
"""
"""Content CSS for rendered fragments (tables, code, callouts, details), day and night.

Defines ``--fg``, ``--bg``, ``--muted``, ``--border``, ``--code-bg``, ``--inline-code-bg``,
``--accent``, ``--callout-bg`` and one colour per known callout; exporters append their own CSS.
"""
