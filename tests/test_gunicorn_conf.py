"""gunicorn.conf.py reads its settings from the environment."""

import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def load(monkeypatch, **env):
    for name in ("GUNICORN_BIND", "PORT", "GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_ACCESS_LOG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_defaults_are_local_and_log_access_to_stdout(monkeypatch):
    conf = load(monkeypatch)
    assert conf["bind"] == "127.0.0.1:8000"
    assert conf["wsgi_app"] == "edition.wsgi:application"
    assert conf["workers"] >= 3 and conf["worker_class"] == "sync"
    assert conf["accesslog"] == "-" and "%(D)s" in conf["access_log_format"]


def test_environment_overrides(monkeypatch):
    conf = load(monkeypatch, GUNICORN_WORKERS="5", GUNICORN_THREADS="4", PORT="9000", GUNICORN_ACCESS_LOG="/tmp/a.log")
    assert conf["workers"] == 5 and conf["threads"] == 4 and conf["worker_class"] == "gthread"
    assert conf["bind"] == "0.0.0.0:9000" and conf["accesslog"] == "/tmp/a.log"
    assert load(monkeypatch, GUNICORN_BIND="unix:/run/edition.sock", PORT="9000")["bind"] == "unix:/run/edition.sock"
