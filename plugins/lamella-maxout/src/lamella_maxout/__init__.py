"""lamella-maxout: a Maxout layer, provided as a lamella plugin."""

from lamella_maxout.maxout import Maxout

__version__ = "0.1.0"
__all__ = ["Maxout"]
