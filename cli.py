"""Run the kg command line from a checkout: ``python cli.py --help``."""

from kg.cli import run

if __name__ == "__main__":
    run()
