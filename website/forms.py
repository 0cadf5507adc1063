from django import forms
from django.utils.translation import gettext_lazy as _

from lib.concurrency import VersionField
from lib.forms import KernForm, KernModelForm

from .models import AccessibilityFeedback, Page


class AccessibilityFeedbackForm(KernModelForm):
    # A field people do not see (kern_form.html renders trap_fields hidden); bots fill it in. Such submissions are
    # dropped silently.
    trap_fields = ("website",)
    website = forms.CharField(
        required=False, label=_("Bitte leer lassen"), widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"})
    )

    class Meta:
        model = AccessibilityFeedback
        fields = ["page_url", "description", "name", "email"]
        labels = {"page_url": _("Auf welcher Seite ist die Barriere? (Adresse oder Name der Seite)")}
        help_texts = {
            "description": _(
                "Beschreiben Sie bitte, was nicht funktioniert und welche Hilfsmittel Sie nutzen (z. B. Screenreader)."
            ),
            "email": _("Nur nötig, wenn Sie eine Antwort wünschen. Wir nutzen die Adresse ausschließlich dafür."),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
        }

    def clean_description(self):
        text = self.cleaned_data["description"].strip()
        if len(text) < 10:
            raise forms.ValidationError(_("Bitte beschreiben Sie die Barriere in mindestens 10 Zeichen."))
        return text


class PageForm(KernModelForm):
    version = VersionField()

    class Meta:
        model = Page
        fields = ["title_de", "body_de", "title_en", "body_en"]
        widgets = {"body_de": forms.Textarea(attrs={"rows": 18}), "body_en": forms.Textarea(attrs={"rows": 18})}


class FeedbackStatusForm(KernForm):
    version = VersionField()
    status = forms.ChoiceField(
        label=_("Status"),
        choices=AccessibilityFeedback.Status.choices,
        error_messages={"invalid_choice": _("Bitte wählen Sie einen gültigen Status.")},
    )


class FeedbackAnswerForm(KernForm):
    version = VersionField()
    answer = forms.CharField(
        label=_("Antwort an die meldende Person"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Geht per E-Mail an die angegebene Adresse, mit der Rückmeldung als Zitat. "
            "Nennen Sie bitte das Schlichtungsverfahren für den Fall, dass die Antwort nicht zufriedenstellt."
        ),
        error_messages={
            "required": _("Bitte schreiben Sie eine Antwort."),
            "max_length": _("Die Antwort darf höchstens 10.000 Zeichen lang sein."),
        },
    )
