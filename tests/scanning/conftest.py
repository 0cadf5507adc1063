import pytest

from tests.support import clamd
from tests.workspaces.conftest import body_workspaces, lead, make_workspace  # noqa: F401 - fixtures


@pytest.fixture(scope="session")
def clamd_server(tmp_path_factory):
    """One clamd for the session, on the EICAR hash signature only (no freshclam, no internet)."""
    if clamd.binary() is None:
        pytest.fail("clamd fehlt (Debian: clamav-daemon); bin/test installiert es")
    directory = tmp_path_factory.mktemp("clamd")
    process, address = clamd.start(directory)
    yield {"address": address, "database": directory / "db"}
    process.terminate()
    process.wait(10)


@pytest.fixture
def scanning_on(settings, clamd_server, tmp_path):
    settings.UPLOAD_SCANNING = True
    settings.CLAMD_ADDRESS = clamd_server["address"]
    settings.CLAMAV_DATABASE_DIR = str(clamd_server["database"])
    settings.MEDIA_ROOT = tmp_path / "media"
    return clamd_server
