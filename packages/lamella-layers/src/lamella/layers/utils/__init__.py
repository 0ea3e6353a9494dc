"""Helpers shared by the layers: argument validation and shape arithmetic."""
