"""Allow `python -m rusturk`."""

import sys

from rusturk.cli import main

sys.exit(main())
