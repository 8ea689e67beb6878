from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "improvement"
    verbose_name = _("Improvement: rules, tickets, SLA")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cem import events
        from cem.access import ADMINS, EVERYONE, MANAGERS
        from cem.demo import register_seed_step
        from cem.navigation import register_nav, register_topbar
        from improvement import audit, handlers
        from improvement.demo import seed_improvement
        from improvement.visibility import evidence_of_my_department_q
        from voice.visibility import register_visibility_rule

        events.subscribe(events.FEEDBACK_ANALYZED, handlers.on_feedback_analyzed)
        events.subscribe(events.ORGANIZATION_CREATED, handlers.on_organization_created)
        register_nav("main", 40, "ticket-board", _("Tickets"), roles=EVERYONE)
        register_topbar(10, "improvement/_bell.html")
        register_nav("settings", 140, "alert-rule-list", _("Alert rules"), roles=MANAGERS)
        register_nav("settings", 141, "routing-settings", _("Routing"), roles=MANAGERS)
        register_nav("settings", 142, "sla-settings", _("SLA policy"), roles=MANAGERS)
        register_nav("settings", 143, "webhook-list", _("Webhooks"), roles=MANAGERS)
        register_nav("settings", 144, "webhook-deliveries", _("Webhook deliveries"), roles=ADMINS)
        register_seed_step(40, "improvement", seed_improvement)
        audit.register_actions()
        register_visibility_rule(evidence_of_my_department_q)
