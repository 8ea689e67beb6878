from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "voice"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cem import events
        from voice import audit_actions
        from voice.registry import register_pages
        from voice.taxonomy import on_organization_created

        register_pages()
        audit_actions.register()
        events.subscribe(events.ORGANIZATION_CREATED, on_organization_created)
