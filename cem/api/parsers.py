"""JSON parsing for the API: like DRF's, but refuses NUL characters anywhere in the document.

PostgreSQL cannot store U+0000 in text or jsonb, so such input is a clear 400 at the edge
instead of a database error deep inside a write.
"""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

ERR_NUL = "JSON strings may not contain NUL characters (\\u0000)."


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if _has_nul(data):
            raise ParseError(ERR_NUL)
        return data
