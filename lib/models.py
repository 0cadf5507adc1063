"""Model building blocks shared by every domain app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# Amounts in euros and cents: every money column (funding, cost shares) is a DecimalField with these options.
MONEY = {"max_digits": 12, "decimal_places": 2}


class TimestampedModel(models.Model):
    created = models.DateTimeField(_("erstellt"), auto_now_add=True, db_index=True)
    modified = models.DateTimeField(_("geändert"), auto_now=True, db_index=True)

    class Meta:
        abstract = True


class VersionedModel(TimestampedModel):
    """A row that two people may edit at once.

    ``version`` goes up by one on every save through :func:`lib.concurrency.save_versioned`;
    an edit made from an older version is refused instead of overwriting the newer one.
    """

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True
