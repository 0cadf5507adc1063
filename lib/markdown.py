"""Markdown to safe HTML: user text never carries scripts, frames or javascript: links."""

from __future__ import annotations

import re
from functools import lru_cache
from html import unescape

import markdown as md
import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "abbr",
    "dl",
    "dt",
    "dd",
    "span",
}
_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "th": {"scope"}, "h2": {"id"}, "h3": {"id"}}


def render_markdown(text: str, *, shift_headings: bool = False) -> SafeString:
    """Render and sanitise. ``shift_headings`` turns a stray ``#`` into h2 so a page keeps one h1."""
    return mark_safe(_render(text or "", shift_headings))  # noqa: S308 - sanitised by nh3 in _render


@lru_cache(maxsize=512)
def _render(text: str, shift_headings: bool) -> str:
    """Pages are read far more often than edited: the same text renders once per process."""
    html = md.markdown(text or "", extensions=["extra", "sane_lists", "toc"], output_format="html")
    if shift_headings:
        html = html.replace("<h1", "<h2").replace("</h1>", "</h2>")
    clean = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
    return clean


# One line of words and plain punctuation, beginning with a letter: no Markdown or HTML construct can start in it
# (lists, headings, quotes and code need a line start with a digit, sign or space; inline markup needs *_`[]<>&!:),
# so it renders as one paragraph of itself. Search indexing of generated or plain texts skips the renderer (1 ms).
_PLAIN_TEXT = re.compile(r"[^\W\d_][^\W_]*(?:[ .,;?]+[^\W_]+)*[ .,;?]*")


def markdown_to_text(text: str) -> str:
    """The words of a Markdown text without its markup (for the search index and its snippets)."""
    if text and _PLAIN_TEXT.fullmatch(text):
        return " ".join(text.split())
    html = _render(text or "", False)
    return " ".join(unescape(strip_tags(html.replace("</", " </"))).split())
