"""gunicorn settings for production: `gunicorn edition.wsgi` reads this file from the working directory.

Everything can be set from the environment (see docs/deployment.md):
- GUNICORN_BIND (default 127.0.0.1:8000; behind a reverse proxy) or PORT (binds 0.0.0.0:$PORT);
- GUNICORN_WORKERS (default 2 x CPU cores + 1), GUNICORN_THREADS (default 1);
- GUNICORN_TIMEOUT (default 30 s), GUNICORN_MAX_REQUESTS (default 1000, with jitter);
- GUNICORN_ACCESS_LOG / GUNICORN_ERROR_LOG ("-" = stdout/stderr, the default), GUNICORN_LOG_LEVEL.

App processes keep no state of their own: sessions, caches and data live in PostgreSQL and
Redis, so any number of workers, on any number of machines, can serve the same edition.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "edition.wsgi:application"
_port = os.environ.get("PORT", "").strip()
bind = os.environ.get("GUNICORN_BIND") or (f"0.0.0.0:{_port}" if _port else "127.0.0.1:8000")
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then (bounded memory); jitter so they do not all restart together.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)
# Load the app once in the master, then fork: faster start, shared memory pages.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") not in {"0", "false", "no"}

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Combined log format plus the request time in microseconds (%(D)s), for latency monitoring.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)sus'
# The proxy in front terminates TLS and sets X-Forwarded-Proto (see SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
