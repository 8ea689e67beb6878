"""Demo data of the closed loop (seed_demo step 40): filled below."""


def seed_improvement(org) -> None:
    """Idempotent: rules of each kind and tickets in every state (when demo feedback exists)."""
