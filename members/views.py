"""Directory, person pages and the managing office's administration of members."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import admin_required, login_required, office_required
from accounts.roles import EXTERNAL_GUEST, PLATFORM_ADMIN, ROLE_LABELS, is_office, primary_role, roles_of
from audit.models import AuditEvent
from lib.concurrency import apply_edit, failed_status
from lib.pagination import paginate
from lib.spreadsheet import to_csv, to_xlsx

from . import actions
from .access import (
    contact_visible,
    get_body_for_user,
    get_municipality_for_user,
    get_person_for_user,
    memberships_visible_to,
    people_visible_to,
    person_matches_query,
)
from .directory import CompiledPeople
from .forms import DirectoryFilterForm, EndMembershipForm, MembershipForm, MunicipalityForm, OwnProfileForm, PersonForm
from .models import Body, Membership, Municipality, Person
from .rendering import directory_rows
from .vcard import person_vcard


def _current_memberships() -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.current().select_related("body").order_by("body__name"),
        to_attr="current_memberships",
    )


def _filtered_people(user, form: DirectoryFilterForm):
    people = people_visible_to(user).select_related("municipality", "organisation")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            people = people.filter(person_matches_query(data["q"]))
        if data["city"]:
            people = people.filter(municipality=data["city"])
        seat = Q()
        if data["body"]:
            seat &= Q(body=data["body"])
        if data["role"]:
            seat &= Q(role=data["role"])
        if seat:
            people = people.filter(pk__in=Membership.objects.current().filter(seat).values("person_id"))
        if data["department"]:
            people = people.filter(department__icontains=data["department"])
    # No DISTINCT: the filters join only to-one relations and test seats with a subquery, so rows
    # cannot repeat; without it PostgreSQL reads the name index and stops after one page.
    return people.order_by("family_name", "given_name", "pk")


def _filter_key(form: DirectoryFilterForm) -> str:
    """Every value of the filter form (all that ``_filtered_people`` can read of it, including filters added
    later), as a name for the compiled statements; an invalid form filters nothing."""
    if not form.is_valid():
        return "directory"
    values = sorted((name, getattr(value, "pk", value)) for name, value in form.cleaned_data.items())
    return "directory:" + repr(values)


def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    people = CompiledPeople(_filter_key(form), request.user, lambda viewer: _filtered_people(viewer, form))
    page, query = paginate(request, people, settings.DIRECTORY_PAGE_SIZE)
    for person in page.object_list:
        person.show_email = contact_visible(request.user, person, "email")
        person.show_phone = contact_visible(request.user, person, "phone")
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    response = render(
        request,
        # htmx swaps only the results; without JavaScript (or on history restore) the whole page comes back.
        "members/_directory_results.html" if partial else "members/directory.html",
        {
            "form": form,
            "page": page,
            "rows": directory_rows(page.object_list),
            "query": query,
            "can_export": is_office(request.user),
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


def person_detail(request, pk: int):
    person = get_person_for_user(request.user, pk)
    memberships = (
        Membership.objects.filter(person=person)
        .select_related("body", "municipality", "deputy_for__person")
        .order_by("-start_date")
    )
    if not request.user.is_authenticated:
        memberships = memberships.current()
    return render(
        request,
        "members/person_detail.html",
        {
            "person": person,
            "memberships": memberships,
            "show_email": contact_visible(request.user, person, "email"),
            "show_phone": contact_visible(request.user, person, "phone"),
            "can_edit": is_office(request.user),
            "today": timezone.localdate(),
        },
    )


def person_vcard_view(request, pk: int):
    person = get_person_for_user(request.user, pk)
    card = person_vcard(
        person, email=contact_visible(request.user, person, "email"), phone=contact_visible(request.user, person, "phone")
    )
    response = HttpResponse(card, content_type="text/vcard; charset=utf-8")
    filename = slugify(f"{person.given_name}-{person.family_name}") or "kontakt"
    response["Content-Disposition"] = f'attachment; filename="{filename}.vcf"'
    return response


@office_required
def directory_export(request, fmt: str):
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    form = DirectoryFilterForm(request.GET or None)
    people = _filtered_people(request.user, form).prefetch_related(_current_memberships())
    header = [
        _("Anrede"),
        _("Titel"),
        _("Vorname"),
        _("Nachname"),
        _("Kommune / Organisation"),
        _("Fachbereich"),
        _("Funktion"),
        _("E-Mail"),
        _("Telefon"),
        _("Mobil"),
        _("Gremien und Rollen"),
    ]
    rows = (
        [
            p.get_salutation_display() if p.salutation else "",
            p.title,
            p.given_name,
            p.family_name,
            p.affiliation,
            p.department,
            p.function,
            p.email,
            p.phone,
            p.mobile,
            ", ".join(f"{m.body.name} ({m.get_role_display()})" for m in p.current_memberships),
        ]
        for p in people.iterator(chunk_size=500)
    )
    stamp = timezone.localdate().isoformat()
    from audit.actions import record

    record(request.user, f"directory.exported.{fmt}", request.user, after={"filters": request.GET.dict()})
    if fmt == "csv":
        response = HttpResponse(to_csv(header, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            to_xlsx(header, rows, title=_("Verzeichnis")),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="verzeichnis-{stamp}.{fmt}"'
    return response


# What needs the person now, shown above the launcher tiles of "Mein Bereich"; each app renders its own
# panel from its own data (like the workspace page's panels).
DASHBOARD_PANELS = [
    "calendar_events/dashboard_upcoming.html",
    "tasks/dashboard_open.html",
    "polls/dashboard_open.html",
]


@login_required
def dashboard(request):
    person = getattr(request.user, "person", None)
    memberships = []
    if person:
        memberships = list(Membership.objects.current().filter(person=person).select_related("body", "municipality"))
    return render(
        request,
        "members/dashboard.html",
        {
            "person": person,
            "memberships": memberships,
            "dashboard_panels": DASHBOARD_PANELS,
            "role_label": _role_label(request.user, memberships),
        },
    )


def _role_label(user, memberships) -> str:
    """What the dashboard says the person is. Without any seat the role is "external guest"; a city's HR or
    integration person with access to the city's survey results is named for that instead."""
    role = primary_role(user)
    if role == EXTERNAL_GUEST and not memberships:
        access = list(user.monitoring_access.select_related("municipality"))
        if access:
            return ", ".join(f"{a.get_function_display()} {a.municipality.short_name}" for a in access)
    return str(ROLE_LABELS[role])


@login_required
def profile(request):
    person = getattr(request.user, "person", None)
    if person is None:
        return render(request, "members/profile_missing.html")
    return redirect("members:person", pk=person.pk)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    person = getattr(request.user, "person", None)
    if person is None:
        raise Http404
    person = get_person_for_user(request.user, person.pk, write=True)
    return _edit_person(
        request, person, OwnProfileForm, success=_("Ihr Profil wurde gespeichert."), template="members/profile_edit.html"
    )


def _edit_person(request, person: Person, form_class, *, success: str, template: str):
    form = form_class(request.POST or None, instance=person, initial={"version": person.version})
    if request.method == "POST":

        def write(data):
            data = dict(data)
            actions.update_person(request.user, person, data.pop("version", None) or person.version, **data)

        if apply_edit(form, write):
            messages.success(request, success)
            return redirect("members:person", pk=person.pk)
        fresh = Person.objects.get(pk=person.pk)
        return render(request, template, {"form": form, "person": fresh}, status=failed_status(form))
    return render(request, template, {"form": form, "person": person})


# --- Managing office -------------------------------------------------------------------------


@office_required
def office(request):
    return render(
        request,
        "members/office.html",
        {
            "municipality_count": Municipality.objects.active().count(),
            "person_count": Person.objects.active().count(),
            "body_count": Body.objects.count(),
            # The audit log is for platform admins only; the office gets no tile that answers 404.
            "can_read_audit_log": PLATFORM_ADMIN in roles_of(request.user),
        },
    )


@office_required
def municipality_list(request):
    cities = Municipality.objects.order_by("short_name")
    return render(request, "members/municipality_list.html", {"cities": cities})


@office_required
@require_http_methods(["GET", "POST"])
def municipality_create(request):
    form = MunicipalityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            city = actions.create_municipality(request.user, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Die Kommune %(name)s wurde angelegt.") % {"name": city.short_name})
            return redirect("members:municipality_list")
    return render(request, "members/municipality_form.html", {"form": form, "creating": True})


@office_required
@require_http_methods(["GET", "POST"])
def municipality_edit(request, slug: str):
    city = get_municipality_for_user(request.user, slug, write=True)
    form = MunicipalityForm(request.POST or None, instance=city, initial={"version": city.version})
    if request.method == "POST":

        def write(data):
            data = dict(data)
            actions.update_municipality(request.user, city, data.pop("version", None) or 0, **data)

        if apply_edit(form, write):
            messages.success(request, _("Die Änderungen wurden gespeichert."))
            return redirect("members:municipality_list")
        fresh = Municipality.objects.get(pk=city.pk)
        context = {"form": form, "city": fresh, "creating": False}
        return render(request, "members/municipality_form.html", context, status=failed_status(form))
    return render(request, "members/municipality_form.html", {"form": form, "city": city, "creating": False})


@office_required
@require_http_methods(["GET", "POST"])
def person_create(request):
    initial = {}
    city_slug = request.GET.get("kommune")
    if city_slug:
        initial["municipality"] = Municipality.objects.filter(slug=city_slug).first()
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            person = actions.create_person(request.user, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("%(name)s wurde angelegt. Fügen Sie jetzt eine Mitgliedschaft hinzu.") % {"name": person.full_name}
            )
            return redirect("members:membership_create", pk=person.pk)
    return render(request, "members/person_form.html", {"form": form, "creating": True})


@office_required
@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int):
    person = get_person_for_user(request.user, pk, write=True)
    return _edit_person(
        request, person, PersonForm, success=_("Die Änderungen wurden gespeichert."), template="members/person_form.html"
    )


@office_required
@require_http_methods(["GET", "POST"])
def membership_create(request, pk: int):
    person = get_person_for_user(request.user, pk, write=True)
    form = MembershipForm(request.POST or None, person=person, initial={"start_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_membership(request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Die Mitgliedschaft wurde eingetragen."))
            return redirect("members:person", pk=person.pk)
    return render(request, "members/membership_form.html", {"form": form, "person": person})


@office_required
@require_POST
def membership_end(request, pk: int):
    membership = Membership.objects.select_related("person").filter(pk=pk).first()
    if membership is None:
        raise Http404
    form = EndMembershipForm(request.POST)
    if form.is_valid():
        try:
            actions.end_membership(request.user, membership, form.cleaned_data["end_date"])
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
        else:
            messages.success(request, _("Die Mitgliedschaft wurde beendet. Sie bleibt in der Historie sichtbar."))
    else:
        messages.error(request, _("Bitte geben Sie ein gültiges Enddatum an."))
    return redirect("members:person", pk=membership.person_id)


def body_list(request):
    today = timezone.localdate()
    current = Q(memberships__start_date__lte=today) & (
        Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=today)
    )
    bodies = Body.objects.annotate(current_seat_count=Count("memberships", filter=current)).order_by("name")
    return render(request, "members/body_list.html", {"bodies": bodies})


# Seats in the order a reader expects: speakers first, then members, their deputies, office, guests.
ROLE_ORDER = Case(
    *(When(role=role, then=Value(rank)) for rank, role in enumerate(Membership.Role.values)),
    default=Value(len(Membership.Role.values)),
    output_field=IntegerField(),
)


def body_detail(request, slug: str):
    body = get_body_for_user(request.user, slug)
    seats = (
        memberships_visible_to(request.user)
        .current()
        .filter(body=body)
        .select_related("person", "municipality", "deputy_for__person")
        .annotate(role_rank=ROLE_ORDER)
        .order_by("role_rank", "municipality__short_name", "person__family_name")
    )
    return render(request, "members/body_detail.html", {"body": body, "seats": seats})


@admin_required
def audit_log(request):
    events = AuditEvent.objects.all()
    object_type = request.GET.get("typ", "")
    if object_type:
        events = events.filter(object_type=object_type[:60])
    page, query = paginate(request, events, 50)
    types = AuditEvent.objects.order_by().values_list("object_type", flat=True).distinct()
    return render(
        request,
        "members/audit_log.html",
        {"page": page, "query": query, "types": sorted(types), "object_type": object_type},
    )
