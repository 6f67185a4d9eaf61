"""Two response rules for every page: the Content-Security-Policy, and the idle timeout of
a session. Settings: CONTENT_SECURITY_POLICY, SESSION_IDLE_MINUTES in settings.py."""

import time

from django.conf import settings

REFRESHED = "_refreshed"


class ContentSecurityPolicyMiddleware:
    """Sends CONTENT_SECURITY_POLICY with every response: only hujin's own scripts, styles and
    images run or load, so an injected <script> or inline handler does nothing."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = "; ".join(
            "%s %s" % (directive, " ".join(sources))
            for directive, sources in settings.CONTENT_SECURITY_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.policy)
        return response


class IdleTimeoutMiddleware:
    """A session ends after SESSION_IDLE_MINUTES without a request (SESSION_COOKIE_AGE).

    Each request of a logged-in user pushes the end back; saving the session on every
    request would write to the database on every page, so it is saved at most once a
    minute, which moves the end by less than that. A session that is saved anyway (a
    login) takes the time with it at no cost."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            now = int(time.time())
            if session.modified or now - session.get(REFRESHED, 0) >= 60:
                session[REFRESHED] = now  # marks the session modified: saved with a new expiry
        return response
