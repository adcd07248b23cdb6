"""Allow ``python -m adass_survey``."""

import sys

from .cli import main

sys.exit(main())
