"""Models of improvement (filled by its issue)."""
