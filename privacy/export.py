"""The access export (Art. 15 and 20 GDPR): everything linked to a person as one ZIP.

``daten.json`` holds every row the registry links to the person (by person, account or e-mail
address), grouped by model with the purpose and legal basis of its processing activity; the files
those rows point to (uploaded documents, attachments, images) lie beside it under ``dateien/``.
The worker writes the ZIP through the storage API (a local folder or the S3 bucket) so any app
server can stream it; it expires after ``PRIVACY_EXPORT_DAYS``.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import tempfile
import zipfile

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from members.models import Person

from .collect import linked, row_as_json, stored_files
from .registry import ACTIVITIES

FORMAT_VERSION = 1


def write_zip(person: Person, target) -> int:
    """Write the export of ``person`` into the open binary file ``target``; returns the number of rows."""
    sections: dict[str, dict] = {}
    count = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for model, meta, rows in linked(person):
            activity = ACTIVITIES[meta.activity]
            items = []
            for obj in rows.iterator(chunk_size=500):
                row = row_as_json(obj)
                for field_name, fieldfile in stored_files(obj):
                    arcname = f"dateien/{model._meta.label_lower}/{obj.pk}/{field_name}/{os.path.basename(fieldfile.name)}"
                    try:
                        with fieldfile.storage.open(fieldfile.name, "rb") as source, archive.open(arcname, "w") as sink:
                            for chunk in iter(lambda source=source: source.read(1 << 20), b""):
                                sink.write(chunk)
                        row[f"{field_name}__datei"] = arcname
                    except OSError:
                        row[f"{field_name}__datei"] = None  # listed, but not in the storage any more
                items.append(row)
            if not items:
                continue
            count += len(items)
            sections[model._meta.label] = {
                "bezeichnung": str(model._meta.verbose_name_plural),
                "verarbeitung": activity.name,
                "zweck": activity.purpose,
                "rechtsgrundlage": activity.legal_basis,
                "datenkategorien": list(meta.categories),
                "datensaetze": items,
            }
        document = {
            "format": FORMAT_VERSION,
            "erstellt": timezone.now().isoformat(),
            "person": row_as_json(person),
            "konto": row_as_json(person.user) if person.user_id else None,
            "daten": sections,
        }
        archive.writestr("daten.json", json.dumps(document, ensure_ascii=False, indent=2, default=str))
        archive.writestr("LIESMICH.txt", README_TEXT)
    return count + 1


README_TEXT = """Auskunft nach Art. 15 und Art. 20 DSGVO

daten.json enthält alle Datensätze, die die Plattform Ihrer Person, Ihrem Konto oder Ihrer
E-Mail-Adresse zuordnet, je Datenart mit Zweck und Rechtsgrundlage der Verarbeitung.
Der Ordner dateien/ enthält die Dateien, auf die diese Datensätze verweisen.
Geheimnisse (Passwort-Hash, Schlüssel, Zugangstoken) sind nicht enthalten.
"""


def store_export(person: Person) -> tuple[str, int]:
    """Build the ZIP in a temporary file and save it through the storage API; returns (name, size)."""
    name = f"privacy/exports/auskunft-{secrets.token_hex(16)}.zip"
    # An anonymous temporary file: whatever happens (a full disk included), its space is freed when it closes.
    with tempfile.TemporaryFile() as buffer:
        write_zip(person, buffer)
        buffer.flush()
        size = buffer.tell()
        buffer.seek(0)
        try:
            saved = default_storage.save(name, File(buffer))
        except BaseException:
            # A local storage keeps what it wrote before the disk filled up: no half-written export stays.
            with contextlib.suppress(Exception):
                if default_storage.exists(name):
                    default_storage.delete(name)
            raise
    return saved, size
