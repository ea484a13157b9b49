"""``python -m sim`` is the ``flashpoint`` command."""

from .cli import command

command()
