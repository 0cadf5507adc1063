from django_tasks import task


@task()
def scan_file(name: str) -> None:
    """Scan one uploaded file with clamd; when clamd is down it stays pending for ``rescan_pending``."""
    from .actions import scan

    scan(name)
