"""Small text helpers shared by the parser and the exporters: decoding, slugs, fingerprints."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata

_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_MDX_ESCAPE = re.compile(r"\\([~$<_&{}>])")
_BACKTICKS = re.compile(r"`+")


#: How text that is not UTF-8 begins when it is UTF-16 (its byte-order marks).
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def not_utf8(data: bytes, start: int) -> str:
    """Why ``data`` is not UTF-8 (it failed at byte ``start``): ``not valid UTF-8 (byte 0xff)``,
    or ``not valid UTF-8 (it is UTF-16)`` for text that starts with a UTF-16 byte-order mark."""
    if data.startswith(_UTF16_BOMS):
        return "not valid UTF-8 (it is UTF-16)"
    return f"not valid UTF-8 (byte 0x{data[start]:02x})"


def decode_entities(text: str) -> str:
    """Decode HTML entities such as ``&#123;`` and ``&gt;``; leave lone ampersands alone."""
    return _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)


def decode_inline(text: str) -> str:
    """Decode MDX escapes outside code spans and HTML entities everywhere.

    Code spans follow CommonMark: a run of N backticks is closed by the next run of exactly N.
    Inside a code span a backslash is literal, so ``\\_`` stays as written there.
    """
    out: list[str] = []
    pos = 0
    while pos < len(text):
        m = _BACKTICKS.search(text, pos)
        if m is None:
            out.append(_MDX_ESCAPE.sub(r"\1", text[pos:]))
            break
        out.append(_MDX_ESCAPE.sub(r"\1", text[pos : m.start()]))
        close = _find_closing_run(text, m.end(), len(m.group(0)))
        if close is None:  # unmatched backticks are literal text
            out.append(m.group(0))
            pos = m.end()
            continue
        out.append(text[m.start() : close])
        pos = close
    return decode_entities("".join(out))


def _find_closing_run(text: str, start: int, width: int) -> int | None:
    for m in _BACKTICKS.finditer(text, start):
        if len(m.group(0)) == width:
            return m.end()
    return None


#: Scripts written without spaces between words: each of their characters is a token.
_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_TOKEN = re.compile(rf"[^\W_{_UNSPACED}]+|[{_UNSPACED}]")


def _fold(text: str) -> str:
    """Lowercase, compatibility forms unfolded and accents dropped (``Café²`` → ``cafe2``)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokens(text: str) -> list[str]:
    """The words of a text in any script, markup aside: `words` for Latin text; a word of
    another alphabet as written, lowercased; each character of Chinese, Japanese or Korean."""
    return _TOKEN.findall(_fold(decode_inline(text)))


def title_slug(text: str) -> str:
    """A slug from a title's own characters, in any script, never empty.

    A title whose letters and digits all fold to ASCII gets `slugify` (its id never changes);
    any other keeps its words as written, lowercased, in composed form (NFC, as a keyboard
    types them), marks included, so ``ガ`` is not ``カ`` and ``हिंदी`` stays one word:
    ``Docker 容器`` → ``docker-容器``; a title without letters or digits is spelled with its
    characters' Unicode names: ``🐳`` → ``spouting-whale``.

    Not a transliteration (``容器`` → ``rong-qi``): that would need a romanisation per
    language, read Japanese kanji as Chinese, and give unrelated titles one id (``容器``
    and ``荣启`` are both ``rong-qi``); the characters themselves are as stable and as
    distinct as the title.
    """
    folded = _fold(text)
    if all(ord(c) < 128 or not c.isalnum() for c in folded):
        slug = slugify(text)
    else:
        lowered = unicodedata.normalize("NFKC", text).casefold()
        kept = "".join(c if c.isalnum() or _is_mark(c) else " " for c in lowered)
        slug = unicodedata.normalize("NFC", "-".join(kept.split()))
    if slug:
        return slug
    names = (unicodedata.name(c, "") for c in text if not c.isspace())
    return slugify(" ".join(names))


def _is_mark(c: str) -> bool:
    """A combining mark (a vowel sign, a voicing mark, an accent): part of its letter."""
    return unicodedata.category(c).startswith("M")


def counted(n: int, noun: str) -> str:
    """``1 question``, ``2 questions``: a count and its noun (plural in ``s``)."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def slugify(text: str) -> str:
    """A lowercase ASCII slug: ``Exposing Ports (`-p`)`` → ``exposing-ports-p``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def fingerprint(text: str) -> str:
    """A short, stable content hash (first 16 hex digits of SHA-256)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def words_fingerprint(text: str) -> str:
    """A short fingerprint of a text's words (markup, case and punctuation aside)."""
    return hashlib.blake2b(" ".join(words(text)).encode(), digest_size=8).hexdigest()


def words(text: str) -> list[str]:
    """The lowercase word sequence of a text, markup aside."""
    return re.findall(r"[a-z0-9]+", decode_inline(text).lower())


def page_key(file: str) -> str:
    """The key a page gets from its file name when its metadata sets none (``k8s.mdx``: k8s)."""
    if file.startswith("<"):  # text given without a file name
        return "page"
    stem = file.replace("\\", "/").rsplit("/", 1)[-1].split(".", 1)[0]
    return slugify(stem) or "page"
