"""Everything that changes monitoring data goes through here: views, commands, the demo and tests.

Status of a wave: draft -> fielding -> closed -> final -> released. A round is finalised as a
whole (all its waves closed), because disclosure control has to see every table any audience
will see at once; after that its aggregates never change.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import record, snapshot

from .models import AccessCode, AggregateCell, MonitoringAccess, PartialAnswers, PendingResponse, Response, SurveyRound, Wave
from .survey import generate_codes, rewrite_closed_wave

ALLOWED = {
    Wave.Status.DRAFT: {Wave.Status.FIELDING},
    Wave.Status.FIELDING: {Wave.Status.CLOSED},
    Wave.Status.CLOSED: {Wave.Status.FIELDING},
    Wave.Status.FINAL: {Wave.Status.RELEASED},
    Wave.Status.RELEASED: {Wave.Status.FINAL},
}


@transaction.atomic
def create_round(actor, **fields) -> SurveyRound:
    survey_round = SurveyRound(**fields)
    survey_round.full_clean()
    survey_round.save()
    record(
        actor,
        "monitoring.round_created",
        survey_round,
        after=snapshot(survey_round, exclude=("suppressed_boxes", "created", "modified")),
    )
    return survey_round


@transaction.atomic
def save_wave(actor, wave: Wave, *, open_link: bool | None = None) -> Wave:
    creating = wave.pk is None
    before = None if creating else snapshot(Wave.objects.get(pk=wave.pk))
    if creating and wave.round.is_final:
        raise ValidationError(_("Diese Erhebungsrunde ist bereits ausgewertet; neue Wellen gehören in eine neue Runde."))
    if open_link is True and not wave.open_link_token:
        wave.open_link_token = secrets.token_urlsafe(16)
    elif open_link is False:
        wave.open_link_token = None
    wave.full_clean()
    wave.save()
    record(actor, "monitoring.wave_created" if creating else "monitoring.wave_changed", wave, before=before, after=snapshot(wave))
    return wave


@transaction.atomic
def set_wave_status(actor, wave: Wave, status: str) -> Wave:
    """Open, close, reopen, release or withdraw a wave (finalising is per round)."""
    wave = Wave.objects.select_for_update().get(pk=wave.pk)
    if status not in ALLOWED.get(wave.status, set()):
        raise ValidationError(
            _("Eine Welle im Status „%(old)s“ kann nicht in „%(new)s“ wechseln.")
            % {"old": wave.get_status_display(), "new": Wave.Status(status).label}
        )
    before = snapshot(wave)
    today = timezone.localdate()
    if status == Wave.Status.CLOSED:
        PartialAnswers.objects.filter(wave=wave).delete()
        rewrite_closed_wave(wave)
    if status == Wave.Status.RELEASED:
        wave.release_audit = _release_audit(wave)
        wave.released_on = today
    if status == Wave.Status.FINAL:
        wave.released_on = None
    wave.status = status
    wave.save(update_fields=["status", "released_on", "release_audit", "modified"])
    record(actor, f"monitoring.wave_{status}", wave, before=before, after=snapshot(wave))
    return wave


def _release_audit(wave: Wave) -> dict:
    """Audit what the public will see once this wave is released; refuse the release if a count is too narrow."""
    from .aggregation import public_release_audit  # numpy and scipy only for this office action

    waves = list(Wave.objects.filter(round=wave.round_id))
    released = [w for w in waves if w.status == Wave.Status.RELEASED or w.pk == wave.pk]
    try:
        verdict = public_release_audit(wave.round, [w.municipality_id for w in released], len(released) == len(waves))
    except RuntimeError:  # the stored aggregates contradict each other: never publish them
        verdict = {"passed": False, "k": wave.round.min_cell_size}
    if not verdict["passed"]:
        raise ValidationError(
            _("Die Freigabe wird verweigert: Eine gesperrte Zahl ließe sich auf weniger als %(k)s eingrenzen.")
            % {"k": verdict["k"]}
        )
    return verdict


@transaction.atomic
def issue_codes(actor, wave: Wave, count: int) -> list[str]:
    if wave.status not in {Wave.Status.DRAFT, Wave.Status.FIELDING}:
        raise ValidationError(_("Codes gibt es nur für Wellen in Vorbereitung oder während der Befragung."))
    plain = generate_codes(wave, count)
    record(actor, "monitoring.codes_issued", wave, after={"count": count, "total": AccessCode.objects.filter(wave=wave).count()})
    return plain


@transaction.atomic
def finalise_round(actor, survey_round: SurveyRound) -> SurveyRound:
    """Count, protect, weight and compute every indicator of the round; store the aggregates."""
    from .aggregation import aggregate_cells, compute_round  # numpy and scipy only for this office action

    survey_round = SurveyRound.objects.select_for_update().get(pk=survey_round.pk)
    if survey_round.is_final:
        raise ValidationError(_("Diese Erhebungsrunde ist bereits ausgewertet."))
    waves = list(survey_round.waves.select_related("municipality"))
    if not waves:
        raise ValidationError(_("Die Runde hat noch keine Befragungswellen."))
    open_waves = [w for w in waves if w.status != Wave.Status.CLOSED]
    if open_waves:
        names = ", ".join(w.municipality.short_name for w in open_waves)
        raise ValidationError(_("Zuerst müssen alle Wellen beendet sein; noch offen: %(names)s.") % {"names": names})
    try:
        result = compute_round(survey_round, waves)
    except RuntimeError as error:
        raise ValidationError(
            _("Die Auswertung wird verweigert: Die Geheimhaltung ließ sich nicht für alle Zahlen sicherstellen.")
        ) from error
    AggregateCell.objects.bulk_create(aggregate_cells(survey_round, result), batch_size=1000)
    today = timezone.localdate()
    Wave.objects.filter(pk__in=[w.pk for w in waves]).update(status=Wave.Status.FINAL, finalised_on=today)
    survey_round.finalised_on = today
    survey_round.suppressed_boxes = result.protection.suppressed_boxes
    escalated = sorted(result.protection.escalated_cities)
    survey_round.protection_note = (
        _("Für %(cities)s wurde die Aufgliederung vollständig zurückgehalten, damit keine Zelle erschlossen werden kann.")
        % {"cities": ", ".join(escalated)}
        if escalated
        else ""
    )
    survey_round.disclosure_audit = result.audit
    survey_round.save(update_fields=["finalised_on", "suppressed_boxes", "protection_note", "disclosure_audit", "modified"])
    suppressed = sum(1 for r in result.rows for reason in r.reasons.values() if reason)
    record(
        actor,
        "monitoring.round_finalised",
        survey_round,
        after={
            "waves": len(waves),
            "responses": int(result.data.cube.sum()),
            "suppressed_counts": suppressed,
            "disclosure_audit": result.audit,
        },
    )
    return survey_round


def retention_due(today: dt.date | None = None) -> list[Wave]:
    """Final or released waves whose raw responses have outlived their retention period."""
    today = today or timezone.localdate()
    limit = today - dt.timedelta(days=settings.MONITORING_RETENTION_DAYS)
    return list(
        Wave.objects.filter(
            status__in=[Wave.Status.FINAL, Wave.Status.RELEASED], finalised_on__lte=limit, raw_deleted_on__isnull=True
        ).select_related("municipality", "round")
    )


@transaction.atomic
def delete_raw_responses(actor, wave: Wave) -> int:
    """Delete a final wave's raw responses and its codes; only the aggregates remain. Logged."""
    wave = Wave.objects.select_for_update().get(pk=wave.pk)
    if wave.status not in {Wave.Status.FINAL, Wave.Status.RELEASED}:
        raise ValidationError(_("Rohdaten werden erst gelöscht, wenn die Auswertung abgeschlossen ist."))
    deleted, _details = Response.objects.filter(wave=wave).delete()
    codes, _details = AccessCode.objects.filter(wave=wave).delete()
    PartialAnswers.objects.filter(wave=wave).delete()
    PendingResponse.objects.filter(wave=wave).delete()
    wave.raw_deleted_on = timezone.localdate()
    wave.save(update_fields=["raw_deleted_on", "modified"])
    record(
        actor,
        "monitoring.raw_responses_deleted",
        wave,
        after={
            "responses": deleted,
            "codes": codes,
            "finalised_on": wave.finalised_on.isoformat(),
            "retention_days": settings.MONITORING_RETENTION_DAYS,
        },
    )
    return deleted


@transaction.atomic
def grant_access(actor, user, municipality, function: str) -> MonitoringAccess:
    access, _created = MonitoringAccess.objects.update_or_create(
        user=user, municipality=municipality, defaults={"function": function}
    )
    record(actor, "monitoring.access_granted", access, after=snapshot(access))
    return access


@transaction.atomic
def revoke_access(actor, access: MonitoringAccess) -> None:
    record(actor, "monitoring.access_revoked", access, before=snapshot(access))
    access.delete()
