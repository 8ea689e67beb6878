"""One exception handler for the API: every error is a problem+json body with per-field errors.

Maps DRF errors, Django ValidationError, ApplicationError (400/409/422…) and DoesNotExist/Http404
(404, with the same message whether the row is missing or belongs to another organization).
"""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from cem.errors import ApplicationError, ConflictError

NOT_FOUND = "Not found."
PROBLEM_JSON = "application/problem+json"
_KEPT_HEADERS = ("retry-after", "www-authenticate", "allow")


def _problem(status_code: int, detail: str, errors=None, headers=None) -> Response:
    body = {"type": "about:blank", "title": _title(status_code), "status": status_code,
            "detail": detail}
    if errors:
        body["errors"] = errors
    response = Response(body, status=status_code, headers=headers)
    response.content_type = PROBLEM_JSON
    return response


def _title(status_code: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return "Error"


def _first_message(errors) -> str:
    """A one-line summary naming the first failing field, e.g. `items[3].nps: …`."""
    path = []
    node = errors
    while isinstance(node, dict | list) and node:
        if isinstance(node, dict):
            key = next(iter(node))
            path.append(str(key))
            node = node[key]
        else:
            node = node[0]
    name = ""
    for part in (p for p in path if p != "non_field_errors"):
        name += f"[{part}]" if part.isdigit() else (f".{part}" if name else part)
    return f"{name}: {node}" if name else str(node)


def exception_handler(exc, context):
    if isinstance(exc, ConflictError):
        return _problem(exc.status_code, exc.message, headers={"Retry-After": str(exc.retry_after)})
    if isinstance(exc, ApplicationError):
        errors = {exc.field: [exc.message]} if exc.field else None
        if exc.extra:
            errors = {**(errors or {}), **exc.extra}
        return _problem(exc.status_code, exc.message, errors)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if isinstance(exc, ObjectDoesNotExist | Http404):
        return _problem(status.HTTP_404_NOT_FOUND, NOT_FOUND)
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    headers = {k: v for k, v in response.headers.items() if k.lower() in _KEPT_HEADERS}
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        return _problem(response.status_code, _first_message(errors), errors, headers)
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    if isinstance(exc, exceptions.NotFound):
        detail = NOT_FOUND
    return _problem(response.status_code, str(detail), headers=headers)
