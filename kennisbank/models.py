"""kennisbank models."""
