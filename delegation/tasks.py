from celery import shared_task


@shared_task(name="delegation.ping")
def ping() -> str:
    """Answer "pong": proves that a worker receives tasks and stores their results."""
    return "pong"
