"""Gunicorn's settings for ``make serve`` (``gunicorn -c config/gunicorn.py config.wsgi``).

Each worker is a process that holds nothing another needs: sessions are in the
database, the cache in the database or Redis (see CACHES in config/settings.py).
Everything here can be changed from the environment, as gunicorn's own variables
(GUNICORN_CMD_ARGS) can too.
"""

import os

# HOST and PORT as `make run` takes them; BIND (host:port, or unix:/path) wins.
bind = os.environ.get("BIND") or (
    f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
)

# Synchronous workers, one request each at a time: pages are work for the processor
# and the database, not waits on other servers. Two per core and one more, as
# gunicorn's documentation advises; WEB_CONCURRENCY sets another number.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1)
worker_class = "sync"

# Importing a PDF of 500 pages in the request (CROSSREAD_IMPORT_INLINE_FILES) is the
# longest a request takes: the PDF reader's own limit is CROSSREAD_IMPORT_PDF_SECONDS.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
# Workers are not recycled after a number of requests (gunicorn's max_requests): the
# embedded import worker is a thread of a web worker, and a recycled worker would cut
# an import short (it is taken up again, but only after 15 minutes). Set
# GUNICORN_MAX_REQUESTS with CROSSREAD_IMPORT_WORKER=external if you want them recycled.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10

# The access log, on stderr with the rest, where a process manager collects it.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Behind a proxy that terminates TLS (BEHIND_TLS_PROXY=1 in Django's settings), trust
# its X-Forwarded-* headers; FORWARDED_ALLOW_IPS names it (gunicorn's own default is
# 127.0.0.1).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# gunicorn's control interface listens on one socket per user (~/.gunicorn/gunicorn.ctl)
# that a second server of the same user (a staging copy, the load test's) would take
# over: off, unless GUNICORN_CONTROL_SOCKET names a socket of this server's own.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True
