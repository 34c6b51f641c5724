"""Telegram's ``parse_mode``: marked-up text to plain text plus entities.

The Bot API does not echo the markup back: ``sendMessage`` answers with the text
stripped of it and ``entities`` (``{"type", "offset", "length"}``, offsets and lengths
in UTF-16 code units, ``url`` for links, ``language`` for code blocks). Markup it
cannot read is refused: ``Bad Request: can't parse entities: ...``. Three modes:

* ``HTML``: b/strong, i/em, u/ins, s/strike/del, tg-spoiler, a href, code, pre, blockquote;
  only ``&lt; &gt; &amp; &quot;`` and numeric entities.
* ``MarkdownV2``: ``*bold* _italic_ __underline__ ~strike~ ||spoiler|| `code` ```pre```
  [text](url)``; any of ``_*[]()~`>#+-=|{}.!`` outside markup must be escaped with ``\\``.
* ``Markdown`` (legacy): ``*bold* _italic_ `code` ```pre``` [text](url)``.
"""

from __future__ import annotations

import html
import re
from typing import Any

__all__ = ["render", "MarkupError"]

_HTML_TAGS = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
    "del": "strikethrough", "tg-spoiler": "spoiler", "a": "text_link", "code": "code",
    "pre": "pre", "blockquote": "blockquote", "span": "spoiler",
}  # fmt: skip
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|lt|gt|amp|quot);")
_V2_RESERVED = set("_*[]()~`>#+-=|{}.!")
_V2_MARKS = {"*": "bold", "_": "italic", "__": "underline", "~": "strikethrough",
             "||": "spoiler"}  # fmt: skip


class MarkupError(ValueError):
    """The Bot API's ``can't parse entities`` refusal; the message is its description."""


def _u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def render(text: str, parse_mode: str | None) -> tuple[str, list[dict[str, Any]]]:
    """Plain text and entities of ``text`` in ``parse_mode`` (None or '' = as is)."""
    if not parse_mode:
        return text, []
    mode = parse_mode.lower()
    if mode == "html":
        return _html(text)
    if mode == "markdownv2":
        return _markdown(text, v2=True)
    if mode == "markdown":
        return _markdown(text, v2=False)
    raise MarkupError(f"Bad Request: unsupported parse_mode: {parse_mode}")


def _bad(why: str) -> MarkupError:
    return MarkupError(f"Bad Request: can't parse entities: {why}")


def _html_text(chunk: str, at: int) -> str:
    if "<" in chunk or ">" in chunk:
        raise _bad(f"Unexpected end tag at byte offset {at}")
    for m in re.finditer(r"&[^;\s]*;?", chunk):
        if not _ENTITY.fullmatch(m.group()):
            raise _bad(f"Unsupported HTML entity \"{m.group()}\" at byte offset {at + m.start()}")
    return html.unescape(chunk)


def _html(text: str) -> tuple[str, list[dict[str, Any]]]:
    plain: list[str] = []
    stack: list[tuple[str, int, dict[str, Any]]] = []
    entities: list[dict[str, Any]] = []
    pos = 0
    for m in _TAG.finditer(text):
        plain.append(_html_text(text[pos : m.start()], pos))
        pos = m.end()
        closing, name, attrs = m.group(1) == "/", m.group(2).lower(), m.group(3)
        offset = _u16("".join(plain))
        at = len(text[: m.start()].encode())
        if name not in _HTML_TAGS:
            raise _bad(f'Unsupported start tag "{name}" at byte offset {at}')
        if not closing:
            extra: dict[str, Any] = {}
            if name == "a":
                href = re.search(r'href\s*=\s*"([^"]*)"', attrs)
                if href is None:
                    raise _bad(f'Can\'t find "href" of the "a" tag at byte offset {at}')
                extra["url"] = html.unescape(href.group(1))
            if name == "code" and stack and stack[-1][0] == "pre":
                lang = re.search(r'class\s*=\s*"language-([^"]+)"', attrs)
                if lang:
                    stack[-1][2]["language"] = lang.group(1)
            stack.append((name, offset, extra))
            continue
        if not stack or stack[-1][0] != name:
            raise _bad(f'Unmatched end tag at byte offset {at}, expected "</'
                       f'{stack[-1][0] if stack else ""}>", found "</{name}>"')  # fmt: skip
        opened, start, extra = stack.pop()
        if opened == "code" and stack and stack[-1][0] == "pre":
            continue  # the code inside a pre only names its language
        if offset > start:
            entities.append({"offset": start, "length": offset - start,
                             "type": _HTML_TAGS[opened], **extra})  # fmt: skip
    plain.append(_html_text(text[pos:], pos))
    if stack:
        raise _bad(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    return "".join(plain), sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def _markdown(text: str, *, v2: bool) -> tuple[str, list[dict[str, Any]]]:
    plain: list[str] = []
    open_at: dict[str, tuple[int, int]] = {}  # mark -> (utf16 offset, byte offset)
    entities: list[dict[str, Any]] = []
    i = 0

    def offset() -> int:
        return _u16("".join(plain))

    while i < len(text):
        c = text[i]
        byte_at = len(text[:i].encode())
        if v2 and c == "\\" and i + 1 < len(text):
            plain.append(text[i + 1])
            i += 2
            continue
        if c == "`":
            fence = text.startswith("```", i)
            fence_mark = "```" if fence else "`"
            end = text.find(fence_mark, i + len(fence_mark))
            if end < 0:
                raise _bad(f"Can't find end of {'Pre' if fence else 'Code'} entity at byte "
                           f"offset {byte_at}")  # fmt: skip
            body = text[i + len(fence_mark) : end]
            entity: dict[str, Any] = {"type": "pre" if fence else "code"}
            if fence and "\n" in body:
                first, rest = body.split("\n", 1)
                if first and " " not in first:
                    entity["language"], body = first, rest
            if v2:
                body = re.sub(r"\\([`\\])", r"\1", body)
            start = offset()
            plain.append(body)
            if body:
                entities.append({"offset": start, "length": _u16(body), **entity})
            i = end + len(fence_mark)
            continue
        if c == "[":
            link = re.match(r"\[((?:\\.|[^\]\\])*)\]\(((?:\\.|[^)\\])*)\)", text[i:])
            if link is None:
                if v2:
                    raise _bad("Character '[' is reserved and must be escaped with the "
                               "preceding '\\'")  # fmt: skip
                plain.append(c)
                i += 1
                continue
            label = re.sub(r"\\(.)", r"\1", link.group(1)) if v2 else link.group(1)
            url = re.sub(r"\\(.)", r"\1", link.group(2)) if v2 else link.group(2)
            start = offset()
            plain.append(label)
            entities.append({"offset": start, "length": _u16(label), "type": "text_link",
                             "url": url})  # fmt: skip
            i += link.end()
            continue
        mark = next((m for m in ("__", "||") if v2 and text.startswith(m, i)), None)
        mark = mark or (c if c in ("*", "_") or (v2 and c == "~") else None)
        if mark is not None:
            if mark in open_at:
                start, _ = open_at.pop(mark)
                kind = _V2_MARKS[mark] if v2 else {"*": "bold", "_": "italic"}[mark]
                if offset() > start:
                    entities.append({"offset": start, "length": offset() - start, "type": kind})
            else:
                open_at[mark] = (offset(), byte_at)
            i += len(mark)
            continue
        if v2 and c in _V2_RESERVED:
            raise _bad(f"Character '{c}' is reserved and must be escaped with the preceding '\\'")
        plain.append(c)
        i += 1
    if open_at:
        mark, (_, byte_at) = min(open_at.items(), key=lambda kv: kv[1][1])
        name = (_V2_MARKS[mark] if v2 else {"*": "bold", "_": "italic"}[mark]).capitalize()
        if v2:
            raise _bad(f"Can't find end of {name} entity at byte offset {byte_at}")
        raise _bad(f"Can't find end of the entity starting at byte offset {byte_at}")
    return "".join(plain), sorted(entities, key=lambda e: (e["offset"], -e["length"]))
