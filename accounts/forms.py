from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from lib.forms import KernForm
from members.models import Person


class InvitationForm(KernForm):
    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=Person.objects.filter(user__isnull=True, is_active=True).select_related("municipality", "organisation"),
    )
    email = forms.EmailField(
        label=_("E-Mail-Adresse"), required=False, help_text=_("Leer lassen, um die Adresse aus dem Verzeichnis zu verwenden.")
    )
    message = forms.CharField(
        label=_("Persönliche Nachricht"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class AcceptInvitationForm(KernForm):
    password1 = forms.CharField(
        label=_("Passwort"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Mindestens 12 Zeichen. Gut merkbar sind mehrere Wörter hintereinander. Häufige Passwörter werden abgelehnt."
        ),
    )
    password2 = forms.CharField(
        label=_("Passwort wiederholen"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    privacy = forms.BooleanField(label=_("Ich habe die Datenschutzerklärung zur Kenntnis genommen."))

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Die beiden Passwörter stimmen nicht überein."))
        if p1:
            from .models import User

            try:
                password_validation.validate_password(p1, User(email=self.email))
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data
