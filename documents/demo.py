"""Demo documents: a few invented German documents in the demo workspaces, made at seed time.

Minutes and a concept as PDF (WeasyPrint), a DOCX and an ODT made by code. Idempotent; the text is
extracted and indexed right away so the search works in the demo without waiting for the worker.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from accounts.models import User
from lib.licences import Licence
from members.models import Municipality
from search.indexing import rebuild
from workspaces.actions import ensure_body_workspaces
from workspaces.models import Workspace

from . import actions, generate
from .models import Document, DocumentVersion

MINUTES = [
    "Protokoll des Regietreffens am 12. März 2025 in Herne",
    "Anwesend: Vertreterinnen und Vertreter aus acht Städten; Sitzungsleitung: Sprecherin der Regiegruppe.",
    "TOP 1: Die Städte berichten über ihre Ausbildungskampagnen. In drei Städten stieg der Anteil der Auszubildenden "
    "mit Zuwanderungsgeschichte deutlich; die Ausbildungsmessen in Schulen werden fortgesetzt.",
    "TOP 2: Das Interkommunale Forum 2027 soll im Herbst stattfinden. Die Projektgruppe legt bis Juni ein Konzept vor.",
    "TOP 3: Die gemeinsame Beschäftigtenbefragung wird vorbereitet; der Fragebogen wird mit den Personalräten abgestimmt.",
    "Verabredung: Die Geschäftsführung versendet das Protokoll und lädt zum nächsten Treffen in Bottrop ein.",
]
CONCEPT = [
    "Konzept: Interkulturelle Öffnung der Personalgewinnung",
    "Ziel ist, dass der Anteil der Beschäftigten mit Einwanderungsgeschichte langfristig dem Anteil an der "
    "Stadtbevölkerung entspricht. Dazu gehören mehrsprachige Stellenanzeigen, geschulte Auswahlkommissionen und "
    "Praktika für Schülerinnen und Schüler.",
    "Die Städte erproben anonymisierte Bewerbungsverfahren und werten die Ergebnisse gemeinsam aus.",
]
GUIDE = [
    "Leitfaden Willkommenskultur für neue Beschäftigte",
    "Patenschaften in den ersten Wochen, Sprachkurse während der Arbeitszeit und ein Begrüßungstag in jeder Stadt.",
    "Die Straßenbefragung in zwei Stadtteilen zeigte großes Interesse an Ausbildungen im öffentlichen Dienst.",
]
FORUM = [
    "Programmentwurf Interkommunales Forum 2027",
    "Vormittag: Impulse aus Wissenschaft und Wirtschaft zur Vielfalt in der Verwaltung.",
    "Nachmittag: Workshops zu Ausbildung, Führung und Bürgerservice; Abschluss mit den Oberbürgermeisterinnen.",
]


def _add(
    user,
    workspace: Workspace,
    title: str,
    name: str,
    data: bytes,
    *,
    public: bool = False,
    tags=(),
    kind: str = "other",
    cities=(),
) -> Document:
    existing = Document.objects.filter(workspace=workspace, title=title).first()
    if existing is not None:
        return existing
    document = actions.upload(user, workspace, SimpleUploadedFile(name, data), title=title)
    if tags:
        actions.update_document(user, document, document.version, title=title, description="", folder=None, tags=list(tags))
    if public:
        municipalities = list(Municipality.objects.filter(slug__in=cities))
        actions.set_publication_details(user, document, document.version, licence=Licence.CC_BY, kind=kind, cities=municipalities)
        actions.set_public(user, document, True)
    return document


def _extract_now() -> None:
    for version_id in DocumentVersion.objects.filter(text_status=DocumentVersion.TextStatus.PENDING).values_list("pk", flat=True):
        actions.extract_version_text(version_id)


def load_demo_documents() -> None:
    office = User.objects.filter(email="geschaeftsstelle@interkommunal.example").first()
    if office is None:
        return
    ensure_body_workspaces()
    with transaction.atomic():
        steering = Workspace.objects.filter(body__slug="regiegruppe").first()
        project = Workspace.objects.filter(name__startswith="Gewinnung junger Talente").first()
        forum = Workspace.objects.filter(name__startswith="Interkommunales Forum").first()
        if steering is not None:
            _add(office, steering, "Protokoll Regietreffen März 2025", "protokoll-regietreffen-2025-03.pdf",
                 generate.pdf(MINUTES[0], MINUTES[1:]), tags=("Protokoll", "2025"))  # fmt: skip
        if project is not None:
            _add(office, project, "Konzept interkulturelle Personalgewinnung", "konzept-personalgewinnung.docx",
                 generate.docx(CONCEPT), tags=("Konzept",))  # fmt: skip
            _add(office, project, "Leitfaden Willkommenskultur", "leitfaden-willkommenskultur.pdf",
                 generate.pdf(GUIDE[0], GUIDE[1:]), public=True, kind="handbook", cities=("herne", "essen"))  # fmt: skip
        if forum is not None:
            _add(office, forum, "Programmentwurf Forum 2027", "programm-forum-2027.odt", generate.odf("odt", FORUM))
    _extract_now()
    rebuild(["document"])


def matrix_document(user) -> Document:
    """One small document in the Regiegruppe's workspace, for the permission matrix."""
    ensure_body_workspaces()
    workspace = Workspace.objects.get(body__slug="regiegruppe")
    return actions.upload(user, workspace, SimpleUploadedFile("protokoll.txt", b"Protokoll der Regiegruppe"))
