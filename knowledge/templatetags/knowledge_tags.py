from django import template

from lib.markdown import render_markdown

register = template.Library()


@register.filter
def knowledge_markdown(text: str):
    """Authors' Markdown through the platform's sanitiser; a stray ``#`` becomes h2 so the page keeps one h1."""
    return render_markdown(text, shift_headings=True)
