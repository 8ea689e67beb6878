"""What the journeys app adds to the shared registries (called from JourneysConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from cem.audit import register_audit_action
from cem.demo import register_seed_step
from cem.navigation import register_nav
from journeys.services.structure import JOURNEY_CHANGED, JOURNEY_CREATED, JOURNEY_DELETED


def register_pages() -> None:
    """The navigation entry, the audit actions and the demo journeys (seed step 10)."""
    from journeys.demo import seed_journeys

    register_nav("main", 10, "journey-list", _("Customer journeys"))
    register_audit_action(JOURNEY_CREATED, _("Journey created"))
    register_audit_action(JOURNEY_CHANGED, _("Journey changed"))
    register_audit_action(JOURNEY_DELETED, _("Journey deleted"))
    register_seed_step(10, "journeys", seed_journeys)
