from django_tasks import task


@task()
def index_object(kind: str, object_id: int) -> None:
    from .indexing import index_now

    index_now(kind, object_id)
