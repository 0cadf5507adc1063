"""Invitations, the security overview and "log out everywhere"."""

from __future__ import annotations

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from lib.errors import add_to_form
from lib.pagination import paginate
from members.models import Person

from . import actions
from .decorators import login_required, office_required
from .forms import AcceptInvitationForm, InvitationForm
from .models import Invitation
from .roles import roles_of

INVITATIONS_PER_PAGE = 50


@office_required
def invitation_list(request):
    invitations = Invitation.objects.select_related("person", "invited_by").order_by("-created", "-pk")
    page, query = paginate(request, invitations, INVITATIONS_PER_PAGE)
    return render(request, "accounts/invitation_list.html", {"invitations": page.object_list, "page": page, "query": query})


@office_required
@require_http_methods(["GET", "POST"])
def invitation_create(request):
    initial = {}
    person_id = request.GET.get("person", "")
    if person_id.isdigit():
        initial["person"] = Person.objects.filter(pk=int(person_id), user__isnull=True).first()
    form = InvitationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = actions.invite_person(
                request.user, form.cleaned_data["person"], email=form.cleaned_data["email"], message=form.cleaned_data["message"]
            )
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request, _("Die Einladung an %(email)s wurde verschickt. Sie ist 7 Tage gültig.") % {"email": invitation.email}
            )
            return redirect("accounts:invitation_list")
    return render(request, "accounts/invitation_form.html", {"form": form})


@office_required
@require_POST
def invitation_revoke(request, pk: int):
    invitation = Invitation.objects.filter(pk=pk).first()
    if invitation is None:
        raise Http404
    try:
        actions.revoke_invitation(request.user, invitation)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Die Einladung wurde zurückgezogen."))
    return redirect("accounts:invitation_list")


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    invitation = Invitation.find_open(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    if request.user.is_authenticated:
        messages.info(request, _("Sie sind bereits angemeldet. Bitte melden Sie sich ab, um die Einladung anzunehmen."))
        return redirect("members:dashboard")
    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.accept_invitation(invitation, form.cleaned_data["password1"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            get_account_adapter(request).login(request, user)
            messages.success(request, _("Willkommen! Ihr Konto ist eingerichtet. Bitte prüfen und ergänzen Sie Ihr Profil."))
            return redirect("members:profile_edit")
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation})


@login_required
def security(request):
    authenticators = {a.type for a in Authenticator.objects.filter(user=request.user)}
    sessions = sorted(
        UserSession.objects.purge_and_list(request.user),
        key=lambda s: (s.session_key != request.session.session_key, -s.last_seen_at.timestamp()),
    )
    return render(
        request,
        "accounts/security.html",
        {
            "has_totp": Authenticator.Type.TOTP in authenticators,
            "has_webauthn": Authenticator.Type.WEBAUTHN in authenticators,
            "has_recovery": Authenticator.Type.RECOVERY_CODES in authenticators,
            "mfa_required": bool(roles_of(request.user) & settings.MFA_REQUIRED_ROLES),
            "sessions": sessions,
            "other_session_count": sum(1 for s in sessions if s.session_key != request.session.session_key),
            "show_last_seen_at": settings.USERSESSIONS_TRACK_ACTIVITY,
        },
    )


@login_required
@require_POST
def logout_everywhere(request):
    ended = actions.end_all_sessions(request.user, keep_session_key=request.session.session_key)
    if ended:
        text = ngettext(
            "Sie wurden auf %(n)s anderen Gerät abgemeldet.", "Sie wurden auf %(n)s anderen Geräten abgemeldet.", ended
        )
        messages.success(request, text % {"n": ended})
    else:
        messages.info(request, _("Sie waren auf keinem anderen Gerät angemeldet."))
    return redirect("accounts:security")
