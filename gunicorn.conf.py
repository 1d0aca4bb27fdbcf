"""gunicorn settings, read automatically from the working directory (docs/deploy.md).

The access log (off unless `--access-logfile` is given) names the path without its query
string: `?q=` of /api/v1/suggest is what a citizen typed, and filters may say more about a
person than a path does. The referer is left out for the same reason (it may carry a query
string too).
"""

access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'
