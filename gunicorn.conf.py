"""gunicorn settings, read automatically from the working directory (docs/deploy.md).

The access log (off unless `--access-logfile` is given) names the path without its query
string: `?q=` of /api/v1/suggest is what a citizen typed, and filters may say more about a
person than a path does. The referer is left out for the same reason (it may carry a query
string too).
"""

import os

from gunicorn.glogging import Logger

access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'

# gunicorn 25+ opens a control socket at one fixed path per user: a second instance on the
# host takes it over, and stopping either removes the socket the other still uses. The
# deployment does not use gunicornc, so it is off; set GUNICORN_CONTROL_SOCKET to a path of
# the instance's own to use it.
control_socket_disable = "GUNICORN_CONTROL_SOCKET" not in os.environ
if not control_socket_disable:
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]


class EscapingLogger(Logger):
    """Access-log atoms with control characters written as \\xNN.

    gunicorn decodes the path (%(U)s), so "%0D%0A" in a request would start a forged
    line in the access log (ASVS 16.4.1).
    """

    def atoms(self, resp, req, environ, request_time):  # type: ignore[no-untyped-def]
        return {key: _escaped(value) if isinstance(value, str) else value
                for key, value in super().atoms(resp, req, environ, request_time).items()}


def _escaped(text: str) -> str:
    return "".join(f"\\x{ord(ch):02x}" if ord(ch) < 32 or ord(ch) == 127 else ch
                   for ch in text)


logger_class = EscapingLogger
