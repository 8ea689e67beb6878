"""Helpers for server-rendered pages: service errors in the user's language, pagination."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.utils.translation import gettext

from cem.errors import ApplicationError

DEFAULT_PER_PAGE = 25


def error_text(exc: ApplicationError, **params) -> str:
    """The service's message translated (constants are marked with gettext_noop), its params
    filled; keyword arguments replace params (e.g. a weekday key by its translated name)."""
    template = getattr(exc, "template", exc.message)
    params = {**getattr(exc, "params", {}), **params}
    translated = gettext(template)
    return translated % params if params else translated


def form_error(form, exc: ApplicationError) -> None:
    """Attach a service error to the form field it names (or to the form as a whole)."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, error_text(exc))


def paginate(request, items, *, per_page: int = DEFAULT_PER_PAGE) -> tuple[Page, str]:
    """(page, query string of the other GET parameters) for `cem/_pagination.html`; an out-of-range
    or malformed `page` shows the nearest page instead of failing."""
    paginator = Paginator(items, per_page)
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()
