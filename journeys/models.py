"""Models of journeys (filled by its issue)."""
