"""Uploaded images: pixel bombs refused, what readers get carries no metadata.

The attacker uploads through the ordinary forms; the checks read only what a reader downloads.
"""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from news.models import Post
from tests.workspaces.conftest import give_role
from workspaces.models import Workspace

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
ORIENTATION = 0x0112


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def project(personas, make_workspace, lead):
    workspace = make_workspace(Workspace.Visibility.PLATFORM, name="Talente gewinnen")
    give_role(workspace, personas["member"], "editor")
    give_role(workspace, personas["guest"], "reader")
    return workspace


def pixel_bomb(side: int = 12_000) -> bytes:
    """A one-colour PNG: tiny on disk, ``side`` × ``side`` pixels when decoded."""
    buffer = io.BytesIO()
    Image.new("1", (side, side)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def photo_with_gps() -> bytes:
    """A JPEG as a phone writes it: GPS position, camera serial, rotated 90° by the orientation tag."""
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[0x010F] = "Telefonhersteller"
    exif[0xA431] = "SERIENNUMMER-4711"
    exif[GPS_IFD] = {1: "N", 2: (51.0, 28.0, 54.0), 3: "E", 4: (7.0, 13.0, 9.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (64, 32), (200, 30, 30)).save(buffer, "JPEG", exif=exif.tobytes(), comment=b"Wohnort Hattingen")
    return buffer.getvalue()


def png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "Wohnort Hattingen")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>Wohnort Hattingen</x:xmpmeta>")
    buffer = io.BytesIO()
    Image.new("RGBA", (20, 20), (10, 79, 143, 255)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def _post(client, project, name: str, data: bytes, title: str):
    return client.post(
        f"/arbeitsbereiche/{project.slug}/neuigkeiten/neu/",
        {"title": title, "body": "Text", "publish": "on", "image": SimpleUploadedFile(name, data), "image_alt": "Bild"},
    )


def test_a_small_file_with_a_huge_pixel_count_is_refused_in_german(project, client_for):
    data = pixel_bomb()
    assert len(data) < 200_000
    response = _post(client_for("member"), project, "plakat.png", data, "Plakat")
    assert response.status_code == 200
    assert "12000 × 12000 Pixel; erlaubt sind höchstens 40 Megapixel" in response.content.decode()
    assert not Post.objects.filter(title="Plakat").exists()


def test_readers_get_the_photo_upright_without_gps_camera_data_or_comments(project, client_for):
    assert _post(client_for("member"), project, "foto.jpg", photo_with_gps(), "Foto").status_code == 302
    post = Post.objects.get(title="Foto")
    served = b"".join(client_for("guest").get(f"/neuigkeiten/{post.pk}/bild/").streaming_content)
    image = Image.open(io.BytesIO(served))
    assert image.format == "JPEG"
    assert image.size == (32, 64)  # turned by its orientation before the tag was dropped
    assert dict(image.getexif()) == {}
    assert b"Exif" not in served and b"SERIENNUMMER" not in served and b"Hattingen" not in served
    assert b"Telefonhersteller" not in served


def test_png_text_chunks_and_xmp_are_dropped(project, client_for):
    assert _post(client_for("member"), project, "grafik.png", png_with_text(), "Grafik").status_code == 302
    post = Post.objects.get(title="Grafik")
    served = b"".join(client_for("guest").get(f"/neuigkeiten/{post.pk}/bild/").streaming_content)
    assert Image.open(io.BytesIO(served)).format == "PNG"
    assert b"Hattingen" not in served and b"tEXt" not in served and b"iTXt" not in served


def test_large_news_images_are_scaled_down(project, client_for, settings):
    settings.NEWS_IMAGE_MAX_SIDE = 100
    buffer = io.BytesIO()
    Image.new("RGB", (400, 200), (0, 90, 0)).save(buffer, "WEBP")
    assert _post(client_for("member"), project, "banner.webp", buffer.getvalue(), "Banner").status_code == 302
    served = b"".join(client_for("guest").get(f"/neuigkeiten/{Post.objects.get(title='Banner').pk}/bild/").streaming_content)
    assert Image.open(io.BytesIO(served)).size == (100, 50)


def test_the_pixel_limit_is_configurable(project, client_for, settings):
    settings.IMAGE_MAX_PIXELS = 1_000_000
    response = _post(client_for("member"), project, "plakat.png", pixel_bomb(1_100), "Plakat")
    assert "erlaubt sind höchstens 1,0 Megapixel" in response.content.decode()


def test_documents_refuse_pixel_bombs_and_store_images_without_metadata(personas, make_workspace, lead, client_for):
    from django.test import Client

    from documents.models import Document

    workspace = make_workspace(Workspace.Visibility.PLATFORM, name="Ablage")
    give_role(workspace, personas["member"], "editor")
    client = Client()
    client.force_login(lead, backend="django.contrib.auth.backends.ModelBackend")
    url = f"/arbeitsbereiche/{workspace.slug}/dokumente/hochladen/"
    response = client.post(url, {"files": [SimpleUploadedFile("plan.png", pixel_bomb())]}, follow=True)
    html = response.content.decode()
    assert "12000 × 12000 Pixel" in html, html[html.find("<main") : html.find("</main>")][:3000]
    assert not Document.objects.filter(workspace=workspace).exists()

    client.post(url, {"files": [SimpleUploadedFile("foto.jpg", photo_with_gps())]})
    document = Document.objects.get(workspace=workspace)
    served = b"".join(client_for("member").get(f"/dokumente/{document.pk}/herunterladen/").streaming_content)
    assert Image.open(io.BytesIO(served)).size == (32, 64)
    assert b"Exif" not in served and b"SERIENNUMMER" not in served and b"Hattingen" not in served


def test_images_stored_before_the_rules_are_cleaned_by_a_command(project, client_for, lead):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.management import call_command

    from news.actions import create_post

    photo = create_post(lead, project, title="Alt-Foto", body="Text")
    bomb = create_post(lead, project, title="Alt-Plakat", body="Text")
    Post.objects.filter(pk=photo.pk).update(image=default_storage.save("news/alt/foto.jpg", ContentFile(photo_with_gps())))
    Post.objects.filter(pk=bomb.pk).update(image=default_storage.save("news/alt/plakat.png", ContentFile(pixel_bomb())))

    call_command("clean_news_images", stdout=io.StringIO())

    served = b"".join(client_for("guest").get(f"/neuigkeiten/{photo.pk}/bild/").streaming_content)
    assert b"Exif" not in served and b"Hattingen" not in served
    assert Image.open(io.BytesIO(served)).size == (32, 64)
    assert not Post.objects.get(pk=bomb.pk).image
    assert not default_storage.exists("news/alt/plakat.png") and not default_storage.exists("news/alt/foto.jpg")
