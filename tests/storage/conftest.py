import pytest

from tests.support import s3
from tests.workspaces.conftest import body_workspaces, lead, make_workspace  # noqa: F401 - fixtures


@pytest.fixture(scope="session")
def s3_server():
    process, endpoint = s3.start()
    yield {"process": process, "endpoint": endpoint}
    process.terminate()
    process.wait(10)


@pytest.fixture
def s3_storage(settings, s3_server):
    """Uploads go to the moto S3 server through django-storages, as in production with FILE_STORAGE=s3."""
    from botocore.config import Config

    env = s3.environment(s3_server["endpoint"])
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": env["S3_BUCKET"],
                "endpoint_url": env["S3_ENDPOINT_URL"],
                "region_name": env["S3_REGION"],
                "access_key": env["S3_ACCESS_KEY_ID"],
                "secret_key": env["S3_SECRET_ACCESS_KEY"],
                "default_acl": None,
                "file_overwrite": False,
                "querystring_auth": True,
                "client_config": Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 1, "mode": "standard"}),
            },
        },
    }
    return s3_server
