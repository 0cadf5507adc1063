from django_tasks import task


@task()
def index_object(kind: str, object_id: int) -> None:
    from .indexing import index_now

    index_now(kind, object_id)


@task()
def index_objects(kind: str, object_ids: list[int]) -> None:
    from .indexing import index_now

    for object_id in object_ids:
        index_now(kind, object_id)


@task()
def index_workspace_content(workspace_id: int) -> None:
    from .indexing import reindex_workspace_content

    reindex_workspace_content(workspace_id)
