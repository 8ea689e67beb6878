"""Request-body limits for the API: 413 over 5 MB, measured uncompressed (gzip bodies included).

A `Content-Encoding: gzip` body is inflated with a bounded decompressor, so a small body that
expands past the limit is refused before it is parsed (ACCEPTANCE I6).
"""

import json
import zlib

from django.conf import settings
from django.http import HttpResponse

ERR_TOO_LARGE = "The request body is larger than {mb} MB (uncompressed). Send smaller batches."
ERR_BAD_GZIP = "The body says Content-Encoding: gzip but is not valid gzip data."
ERR_ENCODING = "Unsupported Content-Encoding: use gzip or none."


def _problem(status: int, detail: str) -> HttpResponse:
    body = {"type": "about:blank", "title": "Request Entity Too Large" if status == 413
            else "Bad Request", "status": status, "detail": detail}
    return HttpResponse(json.dumps(body), status=status, content_type="application/problem+json")


def _inflate(raw: bytes, limit: int) -> bytes | None:
    """Inflate gzip data up to `limit` bytes; None when it would expand past the limit."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = inflater.decompress(raw, limit + 1)
    if len(out) > limit or inflater.unconsumed_tail:
        return None
    return out


class ApiBodyLimitMiddleware:
    """Applies to /api/ writes only; pages keep Django's own upload limits."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.limit = settings.API_MAX_BODY_BYTES

    def __call__(self, request):
        if request.path.startswith("/api/") and request.method in ("POST", "PUT", "PATCH"):
            refused = self._check(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def _check(self, request):
        too_large = _problem(413, ERR_TOO_LARGE.format(mb=self.limit // (1024 * 1024)))
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.limit:
            return too_large
        encoding = request.META.get("HTTP_CONTENT_ENCODING", "").strip().lower()
        if encoding in ("", "identity"):
            return None
        if encoding != "gzip":
            return _problem(415, ERR_ENCODING)
        try:
            inflated = _inflate(request.read(self.limit + 1), self.limit)
        except zlib.error:
            return _problem(400, ERR_BAD_GZIP)
        if inflated is None:
            return too_large
        # NOTE: hand the inflated bytes to the parsers as if they had been sent plain.
        request._body = inflated
        request._read_started = True
        request.META["CONTENT_LENGTH"] = str(len(inflated))
        del request.META["HTTP_CONTENT_ENCODING"]
        return None
