from django.conf import settings
from django.urls import reverse
from django_tasks import task

from lib.mail import send_templated_mail


@task()
def send_invitation_mail(invitation_id: int, token: str) -> None:
    from .models import Invitation

    invitation = Invitation.objects.select_related("person", "invited_by__person").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_open:
        return
    send_templated_mail(
        "invitation",
        [invitation.email],
        {
            "invitation": invitation,
            "person": invitation.person,
            "accept_url": settings.SITE_URL + reverse("accounts:invitation_accept", args=[token]),
        },
    )
