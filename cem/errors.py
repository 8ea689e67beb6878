"""Domain errors raised by services; the API exception handler maps them to HTTP answers."""


class ApplicationError(Exception):
    """A business-rule violation with a human message (400 unless `status_code` says otherwise)."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, extra: dict | None = None,
                 status_code: int | None = None, params: dict | None = None):
        # NOTE: with `params`, `message` is a "%(name)s" template marked with gettext_noop; pages
        # translate `template` and fill it (cem.pages.error_text), the API shows `message`.
        self.template = message
        self.params = params or {}
        message = message % self.params if params else message
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra or {}
        if status_code is not None:
            self.status_code = status_code


class ConflictError(ApplicationError):
    """The request conflicts with work in progress (409, with Retry-After)."""

    status_code = 409

    def __init__(self, message: str, *, retry_after: int = 1, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after
