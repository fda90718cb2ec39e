"""What tests read from a page's answer."""

from django.contrib.messages import get_messages


def messages_of(response) -> list[str]:
    """The messages the answer carries to the next page, as the user reads them."""
    return [str(m) for m in get_messages(response.wsgi_request)]
