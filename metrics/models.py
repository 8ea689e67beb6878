"""Models of metrics (filled by its issue)."""
