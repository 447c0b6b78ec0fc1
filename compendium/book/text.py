"""Text: Markdown parsed once into a small format-neutral tree that every writer walks.

One dialect for all formats: CommonMark plus tables and strikethrough, parsed by pyromark
(pulldown-cmark). Raw HTML in a field is kept as literal text, never as markup, and links
keep their target only when clean_url() accepts it (http(s) with a valid host, or mailto), so
untrusted entries stay inert and every format links (or drops) exactly the same targets: the
tree carries final URLs, and writers only escape them.

Tree: `Node(kind, children, attrs)`; children are Nodes or plain strings (text to escape).
Block kinds: para, heading (level), list (start: int | None), item, blockquote, codeblock,
table (aligns), thead, row, cell, hr. Inline kinds: em, strong, strike, code, link (url, title),
br. A soft line break is the string " ". The doc node's `unsafe` attr lists link targets of other
schemes (javascript:, data:, relative paths), shown as text. Its `dropped` attr lists the http(s)/mailto
targets that were not valid addresses (their text is kept, unlinked), for warnings.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from typing import Any, Iterator, NamedTuple, Union
from urllib.parse import urlsplit

import pyromark

_OPTIONS = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH
SAFE_SCHEMES = ("http://", "https://", "mailto:")


class Node(NamedTuple):
    kind: str
    children: tuple["Child", ...] = ()
    attrs: dict[str, Any] | None = None

    def attr(self, name: str, default: Any = None) -> Any:
        return (self.attrs or {}).get(name, default)


Child = Union[Node, str]

_SIMPLE = {
    "Paragraph": "para", "Item": "item", "Emphasis": "em", "Strong": "strong",
    "Strikethrough": "strike", "TableHead": "thead", "TableRow": "row", "TableCell": "cell",
    "BlockQuote": "blockquote", "HtmlBlock": None,
}
_ALIGN = {"None": "", "Left": "left", "Center": "center", "Right": "right"}


# ASCII a URL may not carry as it is (the Nu checker and EpubCheck reject it), and a '%' that
# starts no escape: both are percent-encoded.
_URL_BAD = re.compile(r'[\x00-\x20"<>\\^`{|}\x7f]|%(?![0-9A-Fa-f]{2})')
# A host name (IDN letters allowed) or an IPv6 literal; labels never empty.
_HOST = re.compile(r"(?:[^\W_](?:[\w-]*[^\W_])?\.)*[^\W_](?:[\w-]*[^\W_])?\.?|[0-9a-f:.]+")


def _percent(match: re.Match[str]) -> str:
    return "".join(f"%{b:02X}" for b in match.group().encode("utf-8"))


def clean_url(url: str) -> str | None:
    """The link target every format writes, or None when it must not be a link.

    Only http(s) and mailto are kept; forbidden ASCII (spaces, quotes, angle brackets...), a
    stray '%' and a second '#' are percent-encoded; an http(s) address needs a valid host name
    (IDN allowed) and port, a mailto an address. Writers only escape the result.
    """
    cleaned = url.strip()
    if not cleaned.lower().startswith(SAFE_SCHEMES) or any(c in cleaned for c in "\x00\n\r"):
        return None
    base, hash_, fragment = cleaned.partition("#")
    encoded = _URL_BAD.sub(_percent, base + hash_ + fragment.replace("#", "%23"))
    try:
        parts = urlsplit(encoded)
        _ = parts.port  # raises ValueError on a bad port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        return encoded if _HOST.fullmatch(parts.hostname or "") else None
    return encoded if scheme == "mailto" and parts.path else None


def _start(tag: Any) -> tuple[str | None, dict[str, Any] | None]:
    """(kind, attrs) for a Start event's tag; kind None means 'unwrap: keep the children only'."""
    if isinstance(tag, str):
        return _SIMPLE.get(tag, None), None
    (name, value), = tag.items()
    if name == "Heading":
        return "heading", {"level": int(value["level"][1])}
    if name == "List":
        return "list", {"start": value}
    if name == "Link":
        target = value["dest_url"].strip()
        url = clean_url(target)
        if url:
            return "link", {"url": url, "title": value.get("title", "")}
        # unwrapped: its text stays; the target is remembered for warnings ("dropped": a web
        # address that is not valid; "unsafe": any other scheme, such as javascript:)
        return None, {"dropped" if target.lower().startswith(SAFE_SCHEMES) else "unsafe": target}
    if name == "Image":
        return None, None  # images inside Markdown: keep the alt text only (pictures go in `images`)
    if name == "CodeBlock":
        return "codeblock", None
    if name == "Table":
        return "table", {"aligns": tuple(_ALIGN.get(str(a), "") for a in value)}
    if name == "BlockQuote":
        return "blockquote", None
    return None, None


def _events_to_tree(events: list[Any]) -> Node:
    stack: list[tuple[str | None, dict[str, Any] | None, list[Child]]] = [("doc", None, [])]
    lost: dict[str, list[str]] = {"dropped": [], "unsafe": []}
    for event in events:
        if isinstance(event, str):
            if event == "SoftBreak":
                stack[-1][2].append(" ")
            elif event == "HardBreak":
                stack[-1][2].append(Node("br"))
            elif event == "Rule":
                stack[-1][2].append(Node("hr"))
            continue
        (name, value), = event.items()
        if name == "Start":
            kind, attrs = _start(value)
            if kind is None and attrs:
                for key, target in attrs.items():
                    lost[key].append(target)
            stack.append((kind, attrs, []))
        elif name == "End":
            kind, attrs, children = stack.pop()
            if kind is None:
                stack[-1][2].extend(children)
            else:
                stack[-1][2].append(Node(kind, tuple(_merge_text(children)), attrs))
        elif name in ("Text", "Html", "InlineHtml", "Code", "InlineMath", "DisplayMath", "FootnoteReference"):
            if name == "Code":
                stack[-1][2].append(Node("code", (value,)))
            else:
                stack[-1][2].append(value)
        elif name == "TaskListMarker":
            stack[-1][2].append("[x] " if value else "[ ] ")
    while len(stack) > 1:  # unbalanced input cannot happen with pulldown-cmark, but never lose text
        kind, attrs, children = stack.pop()
        stack[-1][2].extend(children)
    children = tuple(_wrap_loose_text(_merge_text(stack[0][2])))
    attrs = {key: tuple(targets) for key, targets in lost.items() if targets}
    return Node("doc", children, attrs or None)


def _merge_text(children: list[Child]) -> list[Child]:
    out: list[Child] = []
    for child in children:
        if isinstance(child, str) and out and isinstance(out[-1], str):
            out[-1] += child
        else:
            out.append(child)
    return out


def _wrap_loose_text(children: list[Child]) -> list[Child]:
    """Raw HTML blocks leave bare text at block level: wrap it in a paragraph."""
    out: list[Child] = []
    for child in children:
        if isinstance(child, str):
            if child.strip():
                out.append(Node("para", (child.strip(),)))
        else:
            out.append(child)
    return out


@lru_cache(maxsize=None)  # validation and every writer share one parse per field
def _parse_cached(markdown: str) -> Node:
    return _events_to_tree(pyromark.events(markdown, options=_OPTIONS))


@lru_cache(maxsize=None)
def _typeset_cached(markdown: str, language: str) -> Node:
    from compendium.book.typography import typeset
    from compendium.book.voice import quotes

    tree = _parse_cached(markdown)
    if "'" not in markdown and '"' not in markdown and "&" not in markdown:
        return tree  # no quote, typed or as an entity (&quot; &#39;): nothing to make typographic
    return typeset(tree, quotes(language))


def parse(markdown: str, language: str = "") -> Node:
    """Markdown → tree (memoised within the process by the text and the language).

    With `language` (the BCP 47 tag of the text: the entry's, else the book's), straight quotes
    become that language's typographic marks and apostrophes (book.typography): every format
    that renders the tree prints the same marks. Without it the text stays as typed (validation).
    """
    return _typeset_cached(markdown, language) if language else _parse_cached(markdown)


def digest(markdown: str) -> str:
    """Content hash used by the build caches."""
    return hashlib.sha256(markdown.encode("utf-8")).hexdigest()


def walk(node: Child) -> Iterator[Child]:
    """Every node and string below `node`, depth first."""
    yield node
    if isinstance(node, Node):
        for child in node.children:
            yield from walk(child)


_BLOCKS = frozenset({"doc", "para", "heading", "item", "codeblock", "row", "thead", "cell", "blockquote", "table", "list", "hr", "br"})


def plain(node: Child) -> str:
    """The text content of a tree, without markup (for search indexes and metadata)."""
    parts: list[str] = []
    _collect(node, parts)
    return " ".join("".join(parts).split())


def _collect(node: Child, parts: list[str]) -> None:
    if isinstance(node, str):
        parts.append(node)
        return
    block = node.kind in _BLOCKS
    if block:
        parts.append(" ")
    for child in node.children:
        _collect(child, parts)
    if block:
        parts.append(" ")
