"""``python -m equiv`` is the ``equiv`` command (bench, ...)."""
import sys

from equiv._cli import main

sys.exit(main())
