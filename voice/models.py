"""Models of voice (filled by its issue)."""
