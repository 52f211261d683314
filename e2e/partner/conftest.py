"""The partner tests use the example client next to them as a partner would: a plain module."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
