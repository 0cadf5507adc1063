"""Old free links to public monitoring results become indicator references where they name one.

A link like ``/monitoring/ergebnisse/<round>/<city>/?konzept=eg`` (or without a city: all cities) points at
that round's headline figure. The link itself stays in ``evidence_url``; the example page checks at every
view whether the figure is still released. Reversing clears only what this migration filled in.
"""

from urllib.parse import parse_qs, urlsplit

from django.db import migrations

PREFIX = "/monitoring/ergebnisse/"


def _cell_for(url, AggregateCell):
    parts = urlsplit(url)
    if not parts.path.startswith(PREFIX):
        return None
    rest = [p for p in parts.path[len(PREFIX) :].split("/") if p]
    if not rest or len(rest) > 2 or rest[-1].startswith("daten."):
        return None
    concept = (parse_qs(parts.query).get("konzept") or ["mh"])[0]
    cells = AggregateCell.objects.filter(round__slug=rest[0], concept=concept, facet="total")
    cells = cells.filter(municipality__slug=rest[1]) if len(rest) == 2 else cells.filter(municipality__isnull=True)
    return cells.first()


def forwards(apps, schema_editor):
    Revision = apps.get_model("knowledge", "Revision")
    AggregateCell = apps.get_model("monitoring", "AggregateCell")
    for revision in Revision.objects.exclude(evidence_url="").filter(evidence_indicator__isnull=True):
        cell = _cell_for(revision.evidence_url, AggregateCell)
        if cell is not None:
            Revision.objects.filter(pk=revision.pk).update(evidence_indicator=cell)


def backwards(apps, schema_editor):
    Revision = apps.get_model("knowledge", "Revision")
    Revision.objects.exclude(evidence_url="").update(evidence_indicator=None)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_revision_evidence_indicator"), ("monitoring", "0004_disclosure_audit_verdicts")]

    operations = [migrations.RunPython(forwards, backwards)]
