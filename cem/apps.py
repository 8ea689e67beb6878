from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CemConfig(AppConfig):
    name = "cem"
    verbose_name = _("OpenCEM core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cem.api import schema  # noqa: F401  (registers the OpenAPI auth schemes)

        register_pages()


def register_pages() -> None:
    """The dashboard link and the core settings sections (see cem.navigation)."""
    from cem.access import ADMINS, MANAGERS
    from cem.navigation import register_nav

    register_nav("main", 0, "home", _("Dashboard"))
    register_nav("settings", 100, "settings-members", _("Members and roles"), roles=ADMINS,
                 description=_("Who may sign in, with which role and department."))
    register_nav("settings", 110, "settings-departments", _("Departments"), roles=MANAGERS,
                 description=_("The teams that own topics and touchpoints and work tickets."))
    register_nav("settings", 120, "settings-api-keys", _("API keys"), roles=ADMINS,
                 description=_("Keys partner systems use to push feedback and read metrics."))
    register_nav("settings", 130, "settings-organization", _("Organization profile"), roles=ADMINS,
                 description=_("Name, time zone, business hours and holidays, survey frequency."))
    register_nav("settings", 190, "settings-audit", _("Audit history"), roles=ADMINS,
                 description=_("Who changed which setting, and when."))
