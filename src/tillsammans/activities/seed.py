from typing import TextIO


def build_activities(stdout: TextIO) -> None:
    """Placeholder until the demo activities land (issue 4)."""
