from django_tasks import task


@task(queue_name="extraction")
def extract_text(version_id: int) -> None:
    """Read the text of one uploaded version, then index the document.

    Runs in the worker's extraction lane (queue ``extraction``), so a slow file never holds up the
    other tasks; the extraction itself runs in a child process with limits (``lib/isolation.py``).
    If the worker stops meanwhile, ``lib.isolation.Interrupted`` rises and the worker re-queues the task.
    """
    from .actions import extract_version_text

    extract_version_text(version_id)
