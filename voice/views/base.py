"""The base of the voice pages: tenant access (OrgPageMixin) and the organization's time zone."""

from contextlib import nullcontext

from django.utils import timezone

from cem.access import OrgPageMixin


class VoicePageMixin(OrgPageMixin):
    """Renders inside the organization's time zone, so every time shows as the tenant lives it.

    NOTE: a TemplateResponse renders after dispatch returns; it is rendered here, inside the
    time-zone override, instead.
    """

    def dispatch(self, request, *args, **kwargs):
        organization = getattr(request, "organization", None)
        zone = timezone.override(organization.tzinfo) if organization is not None else nullcontext()
        with zone:
            response = super().dispatch(request, *args, **kwargs)
            if callable(getattr(response, "render", None)) and not response.is_rendered:
                response.render()
        return response


def client_base_url(request) -> str:
    """`scheme://host` of the request, for links that leave the site (emails, partners)."""
    return request.build_absolute_uri("/").rstrip("/")
