from django_tasks import task

from commonroom.resources import services


@task()
def links_check() -> int:
    """Periodic (core.scheduler): check external links of published resources."""
    return services.links_check()


@task()
def file_text_extract(file_id: int) -> int:
    """After an upload: the file's text for search."""
    return services.file_text_extract(file_id=file_id)
