"""``python -m fdiscreen``: the same command line as ``fdiscreen``."""

from fdiscreen.cli import main

if __name__ == "__main__":
    main()
