"""Pages of the voice app: the feedback explorer, surveys (public and managed), file imports."""
