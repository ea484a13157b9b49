"""``python -m sim`` is the ``flashpoint`` command."""

import sys

from .cli import main

sys.exit(main())
