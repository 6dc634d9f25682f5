"""fdiscreen: screen inward investments into Japanese companies under FEFTA (外為法)."""

from fdiscreen.errors import FdiscreenError

__version__ = "0.1.0"
__all__ = ["FdiscreenError", "__version__"]
