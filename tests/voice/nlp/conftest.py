import pytest


@pytest.fixture(scope="session")
def model():
    """The default model as the workers load it (trained into the session's temporary
    MODEL_CACHE_DIR when no cached artifact was copied in)."""
    from voice.services.models import default_analyzer

    return default_analyzer()
