"""Forms of the voice pages (they parse input; services decide)."""
