"""What every service does with its records, written once.

A domain service's repository and commands read and write records the same
way whatever the record: get one the caller may see (NOT_FOUND otherwise),
check the version a client last read (ABORTED when stale), apply an update
mask, sort a listing by declared keys and cut it into keyset pages.
"""

from crm_core.resources.masks import FieldMask, drop_empty, is_named, with_fields
from crm_core.resources.paging import Band, Order, banded_page, keyset_page
from crm_core.resources.records import columns_of, get_visible
from crm_core.resources.sorting import Sort, SortKey, SortSpec
from crm_core.resources.versioning import check_version

__all__ = [
    "Band",
    "FieldMask",
    "Order",
    "Sort",
    "SortKey",
    "SortSpec",
    "banded_page",
    "check_version",
    "columns_of",
    "drop_empty",
    "get_visible",
    "is_named",
    "keyset_page",
    "with_fields",
]
