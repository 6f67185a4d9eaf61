"""Login throttling (django-axes) fitted to this site: which logins are checked, and which
address a request comes from behind a reverse proxy. Settings: AXES_* in settings.py."""

import ipaddress

from axes.backends import AxesStandaloneBackend
from django.conf import settings


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses any login, even with the right password, while the account or the address is
    locked out; logs nobody in itself (ModelBackend does).

    Only logins over HTTP are throttled. authenticate() without a request comes from code
    running on the server (the test client's login(), a shell), which nobody outside can
    reach and which axes would otherwise refuse with an exception.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_address(request):
    """The client's IP address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT reverse proxies,
    the address the outermost proxy saw.

    Each proxy appends the address it was reached from to X-Forwarded-For, so that one is the
    N-th entry from the right; entries further left are whatever the client sent.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if not count:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    forwarded = [entry.strip() for entry in forwarded if entry.strip()]
    if len(forwarded) < count:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote
