"""Published practice examples in the site's search, found by exactly who may read them (knowledge/access.py).

Only the published version is indexed, never a draft or a version under review. CC BY examples are for
everybody; "internal only" ones for the members; the author and the assigned reviewer always (grants).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lib.markdown import markdown_to_text
from search.models import Audience
from search.registry import Entry, Provider

from .models import Licence, PracticeExample


class ExampleProvider(Provider):
    kind = "practice_example"
    label = _("Praxisbeispiele")
    model = PracticeExample

    def queryset(self):
        return PracticeExample.objects.select_related("published")

    def visible_to(self, user):
        from .access import published_visible_to

        return published_visible_to(user)

    def build(self, example: PracticeExample) -> Entry | None:
        revision = example.published
        if revision is None:
            return None
        body = "\n".join(
            [
                revision.summary,
                revision.get_field_display(),
                revision.get_target_group_display(),
                markdown_to_text(revision.goals),
                markdown_to_text(revision.approach),
                markdown_to_text(revision.results),
                markdown_to_text(revision.transferability),
                revision.tags,
            ]
        )
        readers = [pk for pk in (example.author_id, example.reviewer_id) if pk]
        return Entry(
            title=revision.title,
            body=body,
            url=example.get_absolute_url(),
            date=revision.decided_at or revision.modified,
            audience=Audience.PUBLIC if revision.licence == Licence.CC_BY else Audience.MEMBERS,
            readers=readers,
        )
