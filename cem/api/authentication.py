"""API authentication: partner keys (`Authorization: Api-Key <key>`) and browser sessions."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from cem import selectors, services

KEYWORD = "Api-Key"
ERR_BAD_KEY = _("Invalid or revoked API key.")
ERR_MALFORMED = _("Malformed Authorization header: use 'Api-Key <key>'.")


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """Authenticates a partner by key; `request.auth` is the ApiKey, `request.user` anonymous."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _sep, raw = header.partition(" ")
        if keyword != KEYWORD:
            return None
        if not raw.strip() or " " in raw.strip():
            raise exceptions.AuthenticationFailed(ERR_MALFORMED)
        key = selectors.api_key_for_raw(raw_key=raw)
        if key is None:
            raise exceptions.AuthenticationFailed(ERR_BAD_KEY)
        services.api_key_touch(key=key)
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser(), key

    def authenticate_header(self, request):
        return KEYWORD


class CsrfSessionAuthentication(authentication.SessionAuthentication):
    """The dashboard's own calls: the Django session, with CSRF enforced on unsafe methods."""
