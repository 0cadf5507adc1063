"""The one-page summary of a round for the Regiegruppe: the cooperation's figures only, as a PDF.

Used by the download and by :func:`selfcheck.actions.put_on_agenda`, which files the same bytes as the
agenda item's paper, so what the Regiegruppe reads is what the office downloaded.
"""

from __future__ import annotations

from django.utils import timezone

from members.models import Cooperation

from . import results
from .consolidation import min_raters
from .models import Round


def summary_context(selfcheck_round: Round) -> dict:
    result = results.round_result(selfcheck_round, set())
    return {
        "round": selfcheck_round,
        "result": result,
        "k": min_raters(),
        "generated": timezone.localdate(),
        "total_raters": result.raters.get(None, 0),
        "earlier": [f for ups in results.previous_follow_ups(selfcheck_round).values() for f in ups],
        "cooperation": Cooperation.objects.first(),
    }


def summary_pdf(selfcheck_round: Round) -> bytes:
    from monitoring import pdf

    return pdf.render_pdf("selfcheck/summary_pdf.html", summary_context(selfcheck_round))


def file_name(selfcheck_round: Round) -> str:
    return f"selbstcheck-{selfcheck_round.pk}.pdf"
