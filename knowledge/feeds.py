"""An Atom feed of the public practice examples, for portals such as Interkommunales.NRW."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from .access import public_examples


class ExampleFeed(Feed):
    feed_type = Atom1Feed
    title = _("Praxisbeispiele der Interkommunalen Kooperation")
    subtitle = _("Neu veröffentlichte und überarbeitete Praxisbeispiele zur interkulturellen Öffnung (CC BY 4.0).")
    link = "/wissen/"

    def items(self):
        return public_examples().select_related("published", "author__person").order_by("-published__decided_at", "pk")[:50]

    def item_title(self, item):
        return item.published.title

    def item_description(self, item):
        return item.published.summary

    def item_link(self, item):
        return item.get_absolute_url()

    def item_updateddate(self, item):
        return item.published.decided_at or item.published.modified

    def item_pubdate(self, item):
        return item.published.decided_at or item.published.modified

    def item_author_name(self, item):
        return item.author.get_full_name()

    def item_categories(self, item):
        return [item.published.get_field_display(), *item.published.tag_list]

    def item_copyright(self, item):
        return item.published.attribution


_feed = ExampleFeed()


@require_GET
def example_feed(request):
    return _feed(request)
