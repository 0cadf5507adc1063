import pytest

from tests.documents.scene import build
from tests.workspaces.conftest import body_workspaces, lead, make_workspace  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def scene(make_workspace, personas, lead, django_capture_on_commit_callbacks):  # noqa: F811 - fixtures
    """Documents in every kind of workspace, extracted and indexed (the worker's tasks run at commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        result = build(make_workspace, personas, lead)
    return result


@pytest.fixture
def users(personas, lead):  # noqa: F811 - fixture
    return {**personas, "lead": lead}


@pytest.fixture
def run_worker(django_capture_on_commit_callbacks):
    """Run a change and then what it left for the worker (the index is written there)."""

    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run
