"""Declared sorts: the keys a listing may be sorted by, their SQL and cursor kinds, the default.

A request's sort is "-updated_at,title" (crm_core.pagination.sort_terms); a
listing declares once what each key means, and a parsed Sort gives the keyset
Order with the id as the last, unique key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from crm_core.pagination import SqlValue, sort_terms
from crm_core.resources.paging import Order

# What a key computed per request needs: the clock's now, the search text...
C = TypeVar("C")


@dataclass(frozen=True)
class SortKey(Generic[C]):
    """One sort key: its cursor kind and its SQL value, a column or computed from the request's context.

    A value must never be NULL (coalesce it to a far value): keyset comparisons skip NULLs.
    """

    kind: str
    column: SqlValue | None = None
    computed: Callable[[C], SqlValue] | None = None

    def sql(self, context: C) -> SqlValue:
        if self.computed is not None:
            return self.computed(context)
        assert self.column is not None, "a sort key has a column or computes one"
        return self.column


@dataclass(frozen=True)
class SortSpec(Generic[C]):
    """The sort keys of one listing (`name` starts its cursors' signature) and its default order."""

    name: str
    keys: Mapping[str, SortKey[C]]
    default: str
    # The unique last key (the id, a UUID) that makes the order total.
    tie_breaker: SqlValue

    def parse(self, sort: str, default: str = "") -> Sort[C]:
        """A request's sort ("" -> the default); a key not declared is INVALID_ARGUMENT (unknown_sort_key)."""
        return Sort(self, sort_terms(sort, list(self.keys), default or self.default))


@dataclass(frozen=True)
class Sort(Generic[C]):
    """A parsed sort: its (key, descending) terms in order."""

    spec: SortSpec[C]
    terms: list[tuple[str, bool]]

    @property
    def text(self) -> str:
        """The terms as a request writes them ("-amount,title")."""
        return ",".join(f"-{name}" if descending else name for name, descending in self.terms)

    def order(self, context: C, listing: str = "") -> Order:
        """The keyset Order: the terms, then the id in the last term's direction.

        `listing` replaces the spec's name in the cursor signature where one spec
        sorts several listings (each column of a board has its own cursors).
        """
        keys = [(self.spec.keys[name].sql(context), descending) for name, descending in self.terms]
        keys.append((self.spec.tie_breaker, self.terms[-1][1]))
        kinds = [self.spec.keys[name].kind for name, _ in self.terms] + ["uuid"]
        return Order(f"{listing or self.spec.name}:{self.text}", keys, kinds)
