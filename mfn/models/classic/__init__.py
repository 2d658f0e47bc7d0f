"""models.classic."""
