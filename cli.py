"""Run the kg command line from a checkout: ``python cli.py --help``."""

from kg.cli import main

if __name__ == "__main__":
    main()
