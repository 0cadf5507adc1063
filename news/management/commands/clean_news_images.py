"""Apply the image rules (lib/images.py) to news images stored before they existed."""

from __future__ import annotations

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction

from audit.actions import record
from lib.images import ImageRefused, clean_image
from news.models import Post


class Command(BaseCommand):
    help = "Re-encode stored news images without metadata; remove those above IMAGE_MAX_PIXELS."

    def handle(self, *args, **options) -> None:
        cleaned = removed = 0
        for post in Post.objects.exclude(image="").iterator():
            old_name = post.image.name
            try:
                with post.image.open("rb") as stored:
                    clean = clean_image(stored, max_side=settings.NEWS_IMAGE_MAX_SIDE)
            except (ImageRefused, OSError) as exc:
                with transaction.atomic():
                    Post.objects.filter(pk=post.pk).update(image="", image_alt="")
                    record(None, "news.image_removed", post, before={"image": old_name}, after={"reason": str(exc)})
                removed += 1
            else:
                stem = old_name.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "bild"
                post.image.save(f"{stem}.{clean.extension}", ContentFile(clean.data), save=False)
                with transaction.atomic():
                    Post.objects.filter(pk=post.pk).update(image=post.image.name)
                    record(None, "news.image_cleaned", post, before={"image": old_name}, after={"image": post.image.name})
                cleaned += 1
            post.image.storage.delete(old_name)
        self.stdout.write(f"{cleaned} images re-encoded, {removed} removed.")
