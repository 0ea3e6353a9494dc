"""The ``lamella`` command line."""
