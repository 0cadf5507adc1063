"""Public pages from the Markdown files in website/content (``<slug>.de.md`` and ``<slug>.en.md``)."""

from __future__ import annotations

from pathlib import Path

from .models import Page

CONTENT_DIR = Path(__file__).resolve().parent / "content"


def _read(path: Path) -> tuple[str, str]:
    text = path.read_text(encoding="utf-8").strip()
    first, _, rest = text.partition("\n")
    return first.lstrip("# ").strip(), rest.strip()


def load_pages(*, overwrite: bool = False) -> int:
    """Create missing pages (or overwrite all). Pages edited on the platform are kept by default."""
    created = 0
    for de_file in sorted(CONTENT_DIR.glob("*.de.md")):
        slug = de_file.name.removesuffix(".de.md")
        title_de, body_de = _read(de_file)
        en_file = de_file.with_name(f"{slug}.en.md")
        title_en, body_en = _read(en_file) if en_file.exists() else ("", "")
        values = {"title_de": title_de, "body_de": body_de, "title_en": title_en, "body_en": body_en}
        if overwrite:
            Page.objects.update_or_create(slug=slug, defaults=values)
        else:
            _, was_created = Page.objects.get_or_create(slug=slug, defaults=values)
            created += int(was_created)
    return created
