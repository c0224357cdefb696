"""WSGI entry point (gunicorn edition.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edition.settings")
application = get_wsgi_application()
