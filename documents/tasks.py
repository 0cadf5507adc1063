from django_tasks import task


@task()
def extract_text(version_id: int) -> None:
    """Read the text of one uploaded version, then index the document (runs in the worker)."""
    from .actions import extract_version_text

    extract_version_text(version_id)
