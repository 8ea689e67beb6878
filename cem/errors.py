"""Domain errors raised by services; the API exception handler maps them to HTTP answers."""


class ApplicationError(Exception):
    """A business-rule violation with a human message (400 unless `status_code` says otherwise)."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, extra: dict | None = None,
                 status_code: int | None = None):
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
