"""What every log line says besides its message: the request's path and user (LOGGING in
settings.py), so that a server error in the journal says where and for whom."""

import logging
import sys


class StderrHandler(logging.StreamHandler):
    """Writes to sys.stderr as it is when a record comes, not as it was when logging was set
    up: a test runner's capture, or a process manager, may have replaced it since."""

    def __init__(self, level=logging.NOTSET):
        logging.Handler.__init__(self, level)

    @property
    def stream(self):
        return sys.stderr


class RequestContext(logging.Filter):
    """Adds `path` and `username` to every record: those of the request that Django attaches
    to its django.request and django.security records, "-" for the others."""

    def filter(self, record):
        request = getattr(record, "request", None)
        # django.server attaches its socket as `request`: only an HttpRequest has META.
        if not hasattr(request, "META"):
            request = None
        record.path = getattr(request, "path", "-")
        record.username = username(request)
        return True


def username(request):
    """The request's user as a log line names it: the username, 匿名 (anonymous), "-" for
    none (a request refused before authentication) or "?" when it cannot be read.

    Reading request.user may need the database, which may be what failed: a log line must
    come out all the same."""
    if request is None or not hasattr(request, "user"):
        return "-"
    try:
        user = request.user
        return user.get_username() if user.is_authenticated else "匿名"
    except Exception:
        return "?"
