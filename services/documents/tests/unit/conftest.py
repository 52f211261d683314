"""documents unit tests: statement_files.py (the statement generator) is a plain module of tests/."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))
