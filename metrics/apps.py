from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "metrics"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cem import events
        from metrics import handlers

        # NOTE: not on ingestion: its days are marked dirty (read raw, exact) and the
        # analysis that follows announces feedback.analyzed; the beat sweep covers the rest
        # (new organizations, interactions, lost messages).
        for event in (events.FEEDBACK_ANALYZED, events.FEEDBACK_CHANGED,
                      events.TOUCHPOINT_DELETED):
            events.subscribe(event, handlers.on_feedback_event)
