"""Units of measure: the OKEI codes (ОКЕИ, the Russian classifier) the platform ships, in both languages.

Deals keep them as the code list `units` (an admin may relabel, reorder or
archive them and add others); documents print a line's unit from the code it
carries. A line without a unit is counted in pieces (796).
"""

from __future__ import annotations

import re

# An OKEI code: three digits (national codes have four).
UNIT_CODE = re.compile(r"^\d{3,4}$")
PIECE = "796"

# code -> (Russian, English) short labels, in the order pick lists show them.
SHIPPED_UNITS: dict[str, tuple[str, str]] = {
    "796": ("шт", "pcs"),
    "839": ("компл.", "set"),
    "778": ("упак.", "pack"),
    "876": ("усл. ед.", "unit"),
    "356": ("ч", "h"),
    "539": ("чел.-ч", "man-h"),
    "362": ("мес.", "month"),
    "006": ("м", "m"),
    "055": ("м²", "m²"),
    "113": ("м³", "m³"),
    "112": ("л", "l"),
    "166": ("кг", "kg"),
    "168": ("т", "t"),
}
