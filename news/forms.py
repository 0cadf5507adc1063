from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from lib.concurrency import VersionField
from lib.forms import KernForm, KernModelForm

from . import kept_images
from .models import Comment, Post

IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


class PostForm(KernModelForm):
    version = VersionField(required=False)
    publish = forms.BooleanField(
        label=_("Jetzt veröffentlichen"),
        required=False,
        initial=True,
        help_text=_("Ohne Haken bleibt der Beitrag ein Entwurf, den nur Sie und die Leitung sehen."),
    )
    remove_image = forms.BooleanField(label=_("Bild entfernen"), required=False)

    class Meta:
        model = Post
        fields = ["title", "body", "image", "image_alt", "is_public"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 10}),
            "image": forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
        }
        error_messages = {
            "title": {
                "required": _("Bitte geben Sie eine Überschrift an."),
                "max_length": _("Die Überschrift darf höchstens 200 Zeichen lang sein."),
            },
            "body": {
                "required": _("Bitte schreiben Sie einen Text."),
                "max_length": _("Der Text darf höchstens 50.000 Zeichen lang sein."),
            },
            "image": {"invalid_image": _("Die Datei ist kein Bild. Bitte laden Sie ein JPEG-, PNG-, WebP- oder GIF-Bild hoch.")},
        }

    # A chosen image survives an unrelated error: kept in storage, named by a signed token (see keep_image).
    kept_image = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, may_set_public: bool, author=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.author = author
        self.kept = None
        if not may_set_public:
            del self.fields["is_public"]
        if self.instance.pk:
            if self.instance.is_published:
                del self.fields["publish"]
            if not self.instance.image:
                del self.fields["remove_image"]
        else:
            del self.fields["version"]
            del self.fields["remove_image"]
        # Not "(optional)": news.actions refuses an image without a description.
        self.fields["image_alt"].required_when = _("nötig, wenn der Beitrag ein Bild hat")

    def clean(self):
        """The description of an image in the same round as every other error, not after them."""
        data = super().clean()
        if not self.files.get("image") and not data.get("remove_image"):
            self.kept = kept_images.load(data.get("kept_image"), self.author)
            if self.kept is not None:
                data["image"] = kept_images.as_upload(self.kept)
                self._describe_kept()
        has_image = bool(data.get("image")) and not data.get("remove_image")
        if has_image and not (data.get("image_alt") or "").strip() and "image_alt" not in self.errors:
            self.add_error(
                "image_alt", _("Bitte beschreiben Sie das Bild in einem kurzen Text für Menschen, die es nicht sehen können.")
            )
        return data

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if not image or image == self.instance.image:
            return image
        limit = settings.NEWS_IMAGE_MAX_MB
        if image.size > limit * 1024 * 1024:
            raise forms.ValidationError(_("Das Bild ist zu groß. Erlaubt sind höchstens %(mb)s MB.") % {"mb": limit})
        fmt = getattr(getattr(image, "image", None), "format", None)
        if fmt not in IMAGE_FORMATS:
            raise forms.ValidationError(_("Bitte laden Sie ein JPEG-, PNG-, WebP- oder GIF-Bild hoch."))
        return image

    def keep_image(self) -> None:
        """After errors: keep a freshly chosen, valid image so that the next submission need not choose it again."""
        upload = self.files.get("image")
        if self.author is None or upload is None or "image" in self.errors:
            return
        self.kept = kept_images.store(upload)
        self.data = self.data.copy()
        self.data[self.add_prefix("kept_image")] = kept_images.token(self.kept, self.author)
        self._describe_kept()

    def _describe_kept(self) -> None:
        # The bound field copied the help text when validation created it: set both.
        self.fields["image"].help_text = self["image"].help_text = _(
            "Ihr Bild „%(name)s“ ist ausgewählt und wird mit dem Beitrag gespeichert. Wählen Sie eine andere Datei, um es zu ersetzen."
        ) % {"name": kept_images.original_name(self.kept)}


class CommentForm(KernModelForm):
    class Meta:
        model = Comment
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}
        labels = {"body": _("Ihr Kommentar")}
        help_texts = {"body": _("Markdown ist möglich. Erwähnen Sie Personen mit @Vorname Nachname.")}
        error_messages = {
            "body": {
                "required": _("Bitte schreiben Sie einen Kommentar."),
                "max_length": _("Ein Kommentar darf höchstens 5.000 Zeichen lang sein."),
            }
        }


class ConfirmForm(KernForm):
    pass
