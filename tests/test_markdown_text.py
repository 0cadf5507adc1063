"""``markdown_to_text`` skips the renderer for one line of plain words: the result must be what the renderer gives."""

import random

import pytest
from django.utils.html import strip_tags

from lib.markdown import _render, markdown_to_text

pytestmark = pytest.mark.sqlite_fast

LETTERS = "abcdefghijklmnopqrstuvwxyzäöüßABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜéç0123456789"
PIECES = [" ", "  ", ".", ",", ";", "?", "!", ":", "*", "_", "#", "-", "1.", "<b>", "&amp;", "[x](y)", "`c`", "\n", "\n\n", "> "]


def rendered(text: str) -> str:
    from html import unescape

    return " ".join(unescape(strip_tags(_render(text, False).replace("</", " </"))).split())


@pytest.mark.parametrize("seed", range(40))
def test_plain_and_marked_up_texts_give_the_renderers_words(seed):
    rng = random.Random(seed)
    for _ in range(50):
        parts = []
        for _ in range(rng.randint(1, 12)):
            if rng.random() < 0.7:
                parts.append("".join(rng.choices(LETTERS, k=rng.randint(1, 9))))
            else:
                parts.append(rng.choice(PIECES))
        text = "".join(parts)
        assert markdown_to_text(text) == rendered(text), repr(text)


def test_list_heading_and_emphasis_lose_their_markup():
    assert markdown_to_text("1. Punkt") == "Punkt"
    assert markdown_to_text("# Titel") == "Titel"
    assert markdown_to_text("Ein *wichtiger* Satz.") == "Ein wichtiger Satz."
    assert markdown_to_text("Ein Satz, noch einer.  Und zwei;  oder?") == "Ein Satz, noch einer. Und zwei; oder?"
