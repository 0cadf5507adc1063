"""Document pages: a workspace's documents, one document with its versions, the trash, downloads."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import login_required
from lib.concurrency import EditConflict, apply_edit, failed_status
from lib.errors import add_to_messages
from lib.licences import CANONICAL_URLS
from lib.pagination import paginate
from lib.storage import StorageUnavailable, open_for_reading, unavailable_response
from scanning.actions import held_response
from workspaces.access import can_contribute, can_manage, can_view, get_workspace_for_user

from . import actions, publications, uploads
from .access import MANAGE, WRITE, get_document_for_user, get_version_for_user, public_documents
from .filetypes import KINDS
from .forms import DocumentForm, FilterForm, FolderForm, PublicationForm, PublicFilterForm, UploadForm, VersionForm
from .models import Document, DocumentVersion, Tag

# Cards are taller than table rows: fewer per page.
PUBLICATIONS_PER_PAGE = 20

# Served for every download: the browser may not guess a type, run scripts or load anything.
DOWNLOAD_CSP = "default-src 'none'; sandbox"


def _workspace_for_reading(request, slug: str):
    try:
        workspace = get_workspace_for_user(request.user, slug)
    except Http404:
        if not request.user.is_authenticated:
            return None
        raise
    if not can_view(request.user, workspace):
        if not request.user.is_authenticated:
            return None
        raise Http404
    return workspace


# What the list shows of a document; its description and the extracted text stay in the database.
LIST_COLUMNS = (
    *("title", "is_public", "modified", "workspace_id", "folder__name"),
    *("current__file_name", "current__size"),
)


def workspace_documents(request, slug: str):
    workspace = _workspace_for_reading(request, slug)
    if workspace is None:
        return redirect_to_login(request.get_full_path())
    filters = FilterForm(request.GET or None, workspace=workspace)
    documents = workspace.documents.active()
    filtered = False
    if filters.is_valid():
        if filters.cleaned_data["ordner"]:
            documents = documents.filter(folder=filters.cleaned_data["ordner"])
            filtered = True
        if filters.cleaned_data["schlagwort"]:
            # A subquery, not a join: a document never appears twice, whatever the tags' spelling.
            tagged = Tag.objects.filter(name__iexact=filters.cleaned_data["schlagwort"]).values("documents")
            documents = documents.filter(pk__in=tagged)
            filtered = True
    sort = filters.sort_key
    documents = (
        documents.select_related("folder", "current")
        .only(*LIST_COLUMNS)
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        .order_by(*FilterForm.ORDERINGS[sort])
    )
    page, query = paginate(request, documents, settings.DOCUMENTS_PAGE_SIZE, by_key=True)
    contributor = can_contribute(request.user, workspace)
    context = {
        "workspace": workspace,
        "documents": page.object_list,
        "page": page,
        "query": query,
        "caption": FilterForm.CAPTIONS[sort],
        "filtered": filtered,
        "filters": filters,
        "can_contribute": contributor,
        "tags": workspace.tags.filter(documents__trashed_at__isnull=True).distinct().order_by("name"),
    }
    if contributor:
        context["upload_form"] = UploadForm(workspace=workspace, max_mb=settings.DOCUMENTS_MAX_UPLOAD_MB)
        context["max_bytes"] = uploads.max_upload_bytes()
        context["too_large_message"] = uploads.too_large_message()
        context["folder_form"] = FolderForm()
        context["trashed_count"] = workspace.documents.trashed().count()
    return render(request, "documents/workspace_documents.html", context)


@csrf_exempt  # the CSRF check reads the body; the size check must come first (csrf_protect below)
@login_required
@require_POST
def upload(request, slug: str):
    workspace = get_workspace_for_user(request.user, slug)
    if not can_contribute(request.user, workspace):
        raise Http404
    if uploads.declared_too_large(request):
        return _too_large(request, workspace)
    request.upload_handlers.insert(0, uploads.LimitedUploadHandler(request))
    return _upload(request, workspace)


def _too_large(request, workspace):
    response = render(
        request,
        "documents/too_large.html",
        {"workspace": workspace, "message": uploads.too_large_message()},
        status=413,
    )
    response["Connection"] = "close"
    return response


@csrf_protect
def _upload(request, workspace):
    form = UploadForm(request.POST, request.FILES, workspace=workspace, max_mb=settings.DOCUMENTS_MAX_UPLOAD_MB)
    if getattr(request, "upload_too_large", False):
        return _too_large(request, workspace)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("documents:workspace", slug=workspace.slug)
    stored = 0
    for uploaded in form.cleaned_data["files"]:
        try:
            actions.upload(request.user, workspace, uploaded, folder=form.cleaned_data["folder"])
        except ValidationError as exc:
            add_to_messages(request, exc)
        else:
            stored += 1
    if stored:
        messages.success(
            request,
            _("%(n)s Datei wurde gespeichert.") % {"n": stored}
            if stored == 1
            else _("%(n)s Dateien wurden gespeichert.") % {"n": stored},
        )
    return redirect("documents:workspace", slug=workspace.slug)


@login_required
@require_POST
def create_folder(request, slug: str):
    workspace = get_workspace_for_user(request.user, slug)
    if not can_contribute(request.user, workspace):
        raise Http404
    form = FolderForm(request.POST)
    if form.is_valid():
        try:
            folder = actions.create_folder(request.user, workspace, form.cleaned_data["name"])
        except ValidationError as exc:
            add_to_messages(request, exc)
        else:
            messages.success(request, _("Der Ordner „%(name)s“ wurde angelegt.") % {"name": folder.name})
    else:
        messages.error(request, _("Bitte geben Sie einen Namen für den Ordner an (höchstens 120 Zeichen)."))
    return redirect("documents:workspace", slug=workspace.slug)


@login_required
@require_GET
def trash_list(request, slug: str):
    workspace = get_workspace_for_user(request.user, slug)
    if not can_contribute(request.user, workspace):
        raise Http404
    documents = workspace.documents.trashed().select_related("trashed_by__person", "current").order_by("-trashed_at", "-pk")
    page, query = paginate(request, documents, settings.DOCUMENTS_PAGE_SIZE)
    return render(
        request,
        "documents/trash.html",
        {
            "workspace": workspace,
            "documents": page.object_list,
            "page": page,
            "query": query,
            "can_manage": can_manage(request.user, workspace),
        },
    )


def _publication_form(document: Document, data=None) -> PublicationForm:
    return PublicationForm(
        data,
        initial={
            "version": document.version,
            "licence": document.licence,
            "publication_kind": document.publication_kind,
            "cities": [c.pk for c in document.cities.all()],
        },
    )


def _detail_context(request, document: Document, form=None, version_form=None, publication_form=None) -> dict:
    user = request.user
    contributor = can_contribute(user, document.workspace)
    context = {
        "document": document,
        "workspace": document.workspace,
        "kind": KINDS.get(document.current.kind) if document.current else None,
        "versions": document.versions.select_related("uploaded_by__person").order_by("-number"),
        "tags": document.tags.order_by("name"),
        "can_contribute": contributor,
        "can_manage": can_manage(user, document.workspace),
        "can_view_workspace": can_view(user, document.workspace),
        "cities": document.cities.order_by("name"),
        "attribution": publications.attribution_line(document) if document.is_public else "",
        "json_ld": publications.json_ld(request, document) if document.is_public else "",
    }
    if context["can_manage"] and not document.is_trashed:
        context["publication_form"] = publication_form or _publication_form(document)
    if contributor and not document.is_trashed:
        context["form"] = form or DocumentForm(
            workspace=document.workspace,
            initial={
                "version": document.version,
                "title": document.title,
                "description": document.description,
                "folder": document.folder_id,
                "tags": ", ".join(t.name for t in context["tags"]),
            },
        )
        context["version_form"] = version_form or VersionForm()
    return context


@require_http_methods(["GET", "POST"])
def document_detail(request, pk: int):
    try:
        document = get_document_for_user(request.user, pk)
    except Http404:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise
    if request.method != "POST":
        return render(request, "documents/detail.html", _detail_context(request, document, form=None))
    document = get_document_for_user(request.user, pk, level=WRITE)
    form = DocumentForm(request.POST, workspace=document.workspace)

    def write(data):
        actions.update_document(
            request.user,
            document,
            data["version"],
            title=data["title"],
            description=data["description"],
            folder=data["folder"],
            tags=data["tags"],
        )

    if apply_edit(form, write):
        messages.success(request, _("Die Änderungen wurden gespeichert."))
        return redirect(document)
    fresh = get_document_for_user(request.user, pk, level=WRITE)
    return render(request, "documents/detail.html", _detail_context(request, fresh, form=form), status=failed_status(form))


@csrf_exempt  # size check before the body is read; csrf_protect below
@login_required
@require_POST
def new_version(request, pk: int):
    document = get_document_for_user(request.user, pk, level=WRITE)
    if document.is_trashed:
        raise Http404
    if uploads.declared_too_large(request):
        return _too_large(request, document.workspace)
    request.upload_handlers.insert(0, uploads.LimitedUploadHandler(request))
    return _new_version(request, document)


@csrf_protect
def _new_version(request, document: Document):
    form = VersionForm(request.POST, request.FILES)
    if getattr(request, "upload_too_large", False):
        return _too_large(request, document.workspace)
    if form.is_valid():
        try:
            version = actions.add_version(request.user, document, form.cleaned_data["file"])
        except ValidationError as exc:
            add_to_messages(request, exc)
        else:
            messages.success(request, _("Fassung %(n)s wurde gespeichert.") % {"n": version.number})
    else:
        messages.error(request, _("Bitte wählen Sie eine Datei aus."))
    return redirect(document)


@login_required
@require_POST
def restore_version(request, pk: int, number: int):
    document = get_document_for_user(request.user, pk, level=WRITE)
    version = get_version_for_user(request.user, pk, number)
    if document.is_trashed:
        raise Http404
    new = actions.restore_version(request.user, document, version)
    messages.success(
        request, _("Fassung %(old)s ist wieder aktuell (als Fassung %(new)s).") % {"old": version.number, "new": new.number}
    )
    return redirect(document)


def _serve(version: DocumentVersion) -> HttpResponse:
    held = held_response(version.file.name)
    if held is not None:
        return held
    kind = KINDS.get(version.kind)
    inline = bool(kind and kind.inline)
    try:
        handle = open_for_reading(version.file)
    except StorageUnavailable:
        return unavailable_response()
    except OSError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=version.file_name,
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@require_GET
def download(request, pk: int):
    try:
        document = get_document_for_user(request.user, pk)
    except Http404:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise
    if document.current is None:
        raise Http404
    return _serve(document.current)


@require_GET
def download_version(request, pk: int, number: int):
    try:
        version = get_version_for_user(request.user, pk, number)
    except Http404:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise
    document = version.document
    # The public sees the published version only, not the history.
    if document.is_public and not can_view(request.user, document.workspace) and version.pk != document.current_id:
        raise Http404
    return _serve(version)


@login_required
@require_POST
def publish(request, pk: int):
    """Publish, withdraw or change a publication's licence, kind and cities (managers only).

    ``public`` = 1 publishes, 0 withdraws, empty keeps the state. A post with only ``public`` (the
    short button) keeps the stored details.
    """
    document = get_document_for_user(request.user, pk, level=MANAGE)
    public = {"1": True, "0": False}.get(request.POST.get("public", ""))
    if "licence" not in request.POST:
        try:
            actions.set_public(request.user, document, bool(public))
        except ValidationError as exc:
            add_to_messages(request, exc)
        else:
            _published_message(request, bool(public))
        return redirect(document)
    form = PublicationForm(request.POST)

    def write(data):
        with transaction.atomic():
            if public is False:  # withdraw first: a public document cannot become „nur intern“
                if document.version != data["version"]:
                    raise EditConflict
                actions.set_public(request.user, document, False)
                data = {**data, "version": document.version}
            actions.set_publication_details(
                request.user,
                document,
                data["version"],
                licence=data["licence"],
                kind=data["publication_kind"],
                cities=data["cities"],
            )
            if public:
                actions.set_public(request.user, document, True)

    if apply_edit(form, write):
        if public is None:
            messages.success(request, _("Die Angaben zur Veröffentlichung wurden gespeichert."))
        else:
            _published_message(request, public)
        return redirect(document)
    fresh = get_document_for_user(request.user, pk, level=MANAGE)
    return render(
        request,
        "documents/detail.html",
        _detail_context(request, fresh, publication_form=form),
        status=failed_status(form),
    )


def _published_message(request, public: bool) -> None:
    if public:
        messages.success(request, _("Das Dokument ist jetzt öffentlich unter „Veröffentlichungen“ abrufbar."))
    else:
        messages.success(request, _("Das Dokument ist nicht mehr öffentlich."))


@login_required
@require_POST
def trash(request, pk: int):
    document = get_document_for_user(request.user, pk, level=WRITE)
    actions.trash(request.user, document)
    messages.success(
        request, _("„%(title)s“ liegt jetzt im Papierkorb und kann dort wiederhergestellt werden.") % {"title": document.title}
    )
    return redirect("documents:workspace", slug=document.workspace.slug)


@login_required
@require_POST
def restore(request, pk: int):
    document = get_document_for_user(request.user, pk, level=WRITE)
    actions.restore(request.user, document)
    messages.success(request, _("„%(title)s“ wurde wiederhergestellt.") % {"title": document.title})
    return redirect(document)


@login_required
@require_POST
def delete(request, pk: int):
    document = get_document_for_user(request.user, pk, level=MANAGE)
    slug = document.workspace.slug
    try:
        actions.delete_for_good(request.user, document)
    except ValidationError as exc:
        add_to_messages(request, exc)
        return redirect(document)
    messages.success(request, _("„%(title)s“ wurde endgültig gelöscht.") % {"title": document.title})
    return redirect("documents:trash", slug=slug)


@require_GET
def public_list(request):
    """Published documents as cards, with filters by kind, city and licence (like the knowledge base)."""
    form = PublicFilterForm(request.GET or None)
    documents = public_documents()
    if form.is_valid():
        data = form.cleaned_data
        if data["art"]:
            documents = documents.filter(publication_kind=data["art"])
        if data["stadt"]:
            documents = documents.filter(cities=data["stadt"])  # one city: each document once, no DISTINCT
        if data["lizenz"] == "offen":
            documents = documents.filter(licence__in=list(CANONICAL_URLS))
    documents = (
        documents.select_related("current").defer("current__text").prefetch_related("cities").order_by("-published_at", "pk")
    )
    page, query = paginate(request, documents, PUBLICATIONS_PER_PAGE, by_key=True)
    cards = [publications.card_of(document) for document in page.object_list]
    return render(request, "documents/public.html", {"cards": cards, "page": page, "query": query, "form": form})
