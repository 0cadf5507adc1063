"""The office's view of quarantined uploads: who uploaded what when, what clamd found; delete after review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.roles import is_office

from . import actions


@login_required
@require_GET
def quarantine(request):
    if not is_office(request.user):
        raise Http404
    return render(request, "scanning/quarantine.html", {"files": actions.quarantined_files()[:200]})


@login_required
def delete(request, pk: int):
    row = actions.get_quarantined_for_office(request.user, pk)  # 404 before 405: nobody learns what is quarantined
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        actions.delete_quarantined(request.user, row)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Die Datei wurde endgültig gelöscht und die hochladende Person benachrichtigt."))
    return redirect("scanning:quarantine")
