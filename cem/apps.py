from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CemConfig(AppConfig):
    name = "cem"
    verbose_name = _("OpenCEM core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cem.api import schema  # noqa: F401  (registers the OpenAPI auth schemes)
