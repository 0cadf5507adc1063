"""The language a person reads mails in: the profile's setting (German unless they chose English)."""

from __future__ import annotations

from .models import Person


def language_of_address(address: str) -> str | None:
    """The mail language of the active person with this address (their own account's address first)."""
    people = Person.objects.filter(is_active=True).filter(email__iexact=address)
    person = people.filter(user__email__iexact=address).first() or people.first()
    if person is None:
        from accounts.models import User

        user = User.objects.filter(email__iexact=address).select_related("person").first()
        person = getattr(user, "person", None) if user else None
    return person.language if person is not None else None


def language_of_user(user) -> str:
    """The mail language of an account (German when it has no profile)."""
    from django.conf import settings

    person = getattr(user, "person", None) if user is not None else None
    return person.language if person is not None else settings.LANGUAGE_CODE
