from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.concurrency import VersionField
from lib.forms import KernForm
from lib.licences import Licence
from members.models import Municipality

from .models import Folder, PublicationKind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)) and data:
            return [single(d, initial) for d in data]
        # No file at all (an empty list from the request) is "required", not an upload of nothing.
        return [single(data or None, initial)]


MAX_FILES = 20


class UploadForm(KernForm):
    files = MultipleFileField(
        label=_("Dateien"),
        help_text=_("Sie können mehrere Dateien auf einmal auswählen oder hierher ziehen."),
        error_messages={"required": _("Bitte wählen Sie mindestens eine Datei aus."), "empty": _("Die Datei ist leer.")},
    )
    folder = forms.ModelChoiceField(
        label=_("Ordner"), queryset=Folder.objects.none(), required=False, empty_label=_("ohne Ordner")
    )

    def __init__(self, *args, workspace, max_mb: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["folder"].queryset = workspace.folders.all()
        self.fields["files"].help_text = _(
            "Sie können mehrere Dateien auf einmal auswählen oder hierher ziehen; zusammen höchstens %(mb)s MB."
        ) % {"mb": max_mb}
        self.fields["files"].widget.attrs.update({"data-dropzone": "true"})

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("Bitte laden Sie höchstens %(n)s Dateien auf einmal hoch.") % {"n": MAX_FILES})
        return files


class VersionForm(KernForm):
    file = forms.FileField(label=_("Neue Fassung"), error_messages={"required": _("Bitte wählen Sie eine Datei aus.")})


class FolderForm(KernForm):
    name = forms.CharField(label=_("Name des neuen Ordners"), max_length=120)


class DocumentForm(KernForm):
    version = VersionField()
    title = forms.CharField(label=_("Titel"), max_length=200)
    description = forms.CharField(
        label=_("Beschreibung"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    folder = forms.ModelChoiceField(
        label=_("Ordner"), queryset=Folder.objects.none(), required=False, empty_label=_("ohne Ordner")
    )
    tags = forms.CharField(
        label=_("Schlagwörter"),
        required=False,
        max_length=600,
        help_text=_("Mehrere durch Kommas getrennt, z. B. Protokoll, 2025"),
    )

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["folder"].queryset = workspace.folders.all()

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError(_("Bitte geben Sie einen Titel an."))
        return title

    def clean_tags(self):
        names = []
        for raw in self.cleaned_data["tags"].split(","):
            name = " ".join(raw.split())[:60]
            if name and name.lower() not in {n.lower() for n in names}:
                names.append(name)
        if len(names) > 12:
            raise forms.ValidationError(_("Bitte vergeben Sie höchstens 12 Schlagwörter."))
        return names


class FilterForm(KernForm):
    ordner = forms.ModelChoiceField(
        label=_("Ordner"),
        queryset=Folder.objects.none(),
        required=False,
        empty_label=_("alle Ordner"),
        error_messages={"invalid_choice": _("Diesen Ordner gibt es in diesem Arbeitsbereich nicht (mehr).")},
    )
    schlagwort = forms.CharField(label=_("Schlagwort"), required=False, max_length=60)
    sortierung = forms.ChoiceField(
        label=_("Sortierung"),
        required=False,
        choices=[("", _("nach Ordner und Titel")), ("titel", _("nach Titel")), ("neu", _("zuletzt geändert zuerst"))],
    )

    # The list's order for each choice; the primary key last, so that pages never overlap.
    ORDERINGS = {
        "": ("folder__name", "title", "pk"),
        "titel": ("title", "pk"),
        "neu": ("-modified", "-pk"),
    }
    CAPTIONS = {
        "": _("Dokumente nach Ordner und Titel"),
        "titel": _("Dokumente nach Titel"),
        "neu": _("Dokumente, zuletzt geänderte zuerst"),
    }

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ordner"].queryset = workspace.folders.order_by("name")

    @property
    def sort_key(self) -> str:
        return self.cleaned_data.get("sortierung", "") if self.is_valid() else ""


class PublicationForm(KernForm):
    """Licence, kind and cities of a publication; the button pressed says whether to publish or withdraw."""

    version = VersionField()
    licence = forms.ChoiceField(
        label=_("Lizenz"),
        choices=Licence.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "CC BY 4.0 ist die Voreinstellung: Alle dürfen das Dokument mit Namensnennung nutzen. "
            "„Nur intern“ kann nicht veröffentlicht werden."
        ),
    )
    publication_kind = forms.ChoiceField(label=_("Art der Veröffentlichung"), choices=PublicationKind.choices)
    cities = forms.ModelMultipleChoiceField(
        label=_("Städte"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Die Städte, um die es geht oder von denen das Dokument stammt."),
    )


class PublicFilterForm(KernForm):
    """Filters of the public publications list (GET parameters, shareable), like the knowledge base's."""

    art = forms.ChoiceField(label=_("Art"), required=False, choices=[("", _("alle"))] + list(PublicationKind.choices))
    stadt = forms.ModelChoiceField(
        label=_("Stadt"),
        required=False,
        queryset=Municipality.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("alle"),
    )
    lizenz = forms.ChoiceField(
        label=_("Lizenz"),
        required=False,
        choices=[("", _("alle")), ("offen", _("frei nutzbar (CC BY, CC BY-SA)"))],
    )
