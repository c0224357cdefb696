"""The server-error handler (settings' ROOT_URLCONF `handler500`): a database that cannot be reached is a 503.

Django calls the handler for any exception no view or middleware handled (DEBUG off). When that exception is a
connection failure of the database (OperationalError / InterfaceError, e.g. the server is down or refuses
connections), the client gets a plain "temporarily unavailable" page (or an RFC 9457 problem for the API and
DTS) with `Retry-After`, never a traceback. The handler itself touches neither the database nor the session.
The failure is logged with its traceback (logger documents.views.errors) for the operator.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader

from .responses import problem

log = logging.getLogger(__name__)
RETRY_AFTER = "30"
MACHINE_PATHS = ("/api/", "/dts/")


def database_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError | InterfaceError)


def server_error(request, *args, **kwargs):
    exc = sys.exc_info()[1]
    if not database_unavailable(exc):
        return HttpResponseServerError(loader.get_template("500.html").render(), content_type="text/html")
    log.error("database unavailable for %s: %s", request.path, exc, exc_info=exc)
    if request.path.startswith(MACHINE_PATHS):
        response = problem(503, "The edition's database cannot be reached at the moment; try again shortly.")
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503, content_type="text/html")
    response["Retry-After"] = RETRY_AFTER
    response["Cache-Control"] = "no-store"
    return response
