"""What the voice pages add to the shared registries (called from VoiceConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from cem.access import MANAGERS
from cem.demo import register_seed_step
from cem.navigation import register_nav


def register_pages() -> None:
    """Navigation links of the explorer and the survey settings, and the demo step."""
    from voice.demo import seed_keywords, seed_voice
    from voice.demo_feedback import seed_feedback

    register_nav("main", 20, "feedback-list", _("Feedback"))
    register_nav("settings", 125, "topic-list", _("Topics"), roles=MANAGERS,
                 description=_("The taxonomy of pain and delight points: keywords, owning "
                               "departments, discovered topics, re-analysis."))
    register_nav("settings", 130, "survey-link-list", _("Survey links"), roles=MANAGERS)
    register_nav("settings", 135, "import-job-list", _("Feedback import"), roles=MANAGERS)
    register_seed_step(20, "voice-demo-feedback", seed_feedback)
    register_seed_step(25, "voice-surveys-imports", seed_voice)
    register_seed_step(45, "voice-keywords", seed_keywords)
