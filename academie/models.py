"""academie models."""
