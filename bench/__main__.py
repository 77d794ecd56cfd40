"""`python -m bench [--only NAME] [--write docs/benchmarks.md]`, from the repository root (see bench/runner.py)."""

import sys

from bench.runner import main

sys.exit(main())
