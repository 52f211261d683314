"""The catalogue: products and services deal lines pick from.

Every signed-in user reads it (no record-level scope: a price list is not a
secret among colleagues); admins and users with the role `catalog_manager`
create, change and archive products, each change audited. An archived product
stays for the lines that have it and is not offered for new ones
(inputs.resolve_lines). Articles are unique among products on offer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from crm_core.acl import require_role
from crm_core.audit import diff, record_audit
from crm_core.auth import Caller
from crm_core.clock import Clock
from crm_core.db import Database, is_uuid, new_id
from crm_core.errors import AlreadyExists, Validator, invalid
from crm_core.pagination import Page
from crm_core.resources import Order, check_version, get_visible, keyset_page
from crm_deals import domain
from crm_deals.catalogue_inputs import BASE_PRICE_LIST, KINDS, ProductChanges, ProductFields
from crm_deals.models import Product, Unit

CATALOG_MANAGER = "catalog_manager"
MAX_QUERY = 200
_BY_NAME = Order("products:name", [(func.lower(Product.name), False), (Product.id, False)], ["text", "uuid"])


@dataclass(frozen=True)
class ProductRef:
    """What a deal line takes from a product: name, article, unit, VAT rate, base prices, archived."""

    id: str
    name: str
    article: str
    unit_code: str
    vat_rate: str
    archived: bool
    prices: tuple[tuple[str, str, str], ...] = ()  # (price_list, currency, price)

    def base_price(self, currency: str) -> Decimal | None:
        """The price of the `base` price list in `currency`, None when it has none."""
        for price_list, price_currency, price in self.prices:
            if price_list == BASE_PRICE_LIST and price_currency == currency:
                return Decimal(price)
        return None


def product_ref(product: Product) -> ProductRef:
    return ProductRef(
        id=product.id,
        name=product.name,
        article=product.article or "",
        unit_code=product.unit_code,
        vat_rate=product.vat_rate,
        archived=product.archived,
        prices=tuple((p["price_list"], p["currency"], p["price"]) for p in product.prices or []),
    )


async def products_by_id(session: AsyncSession, ids: Iterable[str]) -> dict[str, ProductRef]:
    """The products among `ids` (ids that are not UUIDs or name no product are left out)."""
    wanted = sorted({i for i in ids if i and is_uuid(i)})
    if not wanted:
        return {}
    rows = await session.scalars(select(Product).where(Product.id.in_(wanted)))
    return {p.id: product_ref(p) for p in rows.all()}


async def unit_codes(session: AsyncSession, *, include_archived: bool) -> set[str]:
    query = select(Unit.code)
    if not include_archived:
        query = query.where(Unit.archived.is_(False))
    return set((await session.scalars(query)).all())


async def check_units(session: AsyncSession, used: dict[str, str], kept: Iterable[str] = ()) -> None:
    """Each path's unit must be an active unit of the code list (or one of `kept`, already on the record)."""
    known = await unit_codes(session, include_archived=False) | set(kept)
    v = Validator()
    for path, code in used.items():
        if code not in known:
            v.add(path, "unknown_unit", f"{path}: '{code}' is not an active unit of the code list units")
    v.raise_if_any()


@dataclass(frozen=True)
class ProductQuery:
    query: str = ""
    kind: str = ""
    include_archived: bool = False


async def get_product(session: AsyncSession, product_id: str, *, lock: bool = False) -> Product:
    """A product, or NotFound (product_not_found), also for ids that are not UUIDs."""
    return await get_visible(session, Product, "product", product_id, lock=lock)


async def list_products(session: AsyncSession, q: ProductQuery, limit: int, cursor: str) -> Page[Product]:
    """Products by name (case-insensitive), by cursor; `query` is a prefix of the name or the article."""
    query = select(Product)
    words = q.query.strip().lower()
    if len(words) > MAX_QUERY:
        raise invalid("query", "too_long", f"query must be at most {MAX_QUERY} characters")
    if words:
        pattern = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(func.lower(Product.name).like(pattern), func.lower(Product.article).like(pattern)))
    if q.kind:
        if q.kind not in KINDS:
            raise invalid("kind", "unknown_kind", "kind must be 'product' or 'service'")
        query = query.where(Product.kind == q.kind)
    if not q.include_archived:
        query = query.where(Product.archived.is_(False))
    return await keyset_page(session, query, _BY_NAME, limit, cursor)


class Catalogue:
    """The catalogue's commands: one transaction each, audited."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def create_product(self, caller: Caller, values: ProductFields) -> Product:
        """A product on offer; ALREADY_EXISTS (article_exists) when another one on offer has its article."""
        require_role(caller, CATALOG_MANAGER, "change the catalogue")
        now = self.clock.now()
        cols = values.columns()
        async with self.db.transaction() as session:
            await check_units(session, {"unit_code": values.unit_code})
            await _check_article(session, values.article)
            product = Product(
                id=new_id(),
                **cols,
                version=1,
                created_at=now,
                created_by=caller.user_id,
                updated_at=now,
                updated_by=caller.user_id,
            )
            session.add(product)
            await session.flush()
            _audit(session, caller, product, "created", diff({}, domain.audit_view(cols)))
        return product

    async def update_product(
        self, caller: Caller, product_id: str, changes: ProductChanges, expected_version: int
    ) -> Product:
        """Replace the masked fields (archive or restore too); a stale expected_version is a VersionConflict."""
        require_role(caller, CATALOG_MANAGER, "change the catalogue")
        async with self.db.transaction() as session:
            product = await get_product(session, product_id, lock=True)
            check_version("product", product, expected_version)
            old = {k: getattr(product, k) for k in ProductFields().columns()}
            new = changes.applied_to(old)
            if new["unit_code"] != old["unit_code"]:
                await check_units(session, {"unit_code": new["unit_code"]})
            on_offer = not new["archived"] and new["article"]
            if on_offer and (new["article"] != old["article"] or old["archived"]):
                await _check_article(session, new["article"], product.id)
            changed = diff(domain.audit_view(old), domain.audit_view(new))
            if not changed:
                return product
            for key, value in new.items():
                setattr(product, key, value)
            product.version += 1
            product.updated_at = self.clock.now()
            product.updated_by = caller.user_id
            action = "archived" if changed.keys() == {"archived"} and new["archived"] else "updated"
            _audit(session, caller, product, action, changed)
        return product


async def _check_article(session: AsyncSession, article: str | None, own_id: str = "") -> None:
    """ALREADY_EXISTS unless no other product on offer has the article (serialised per article)."""
    if not article:
        return
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"product_article:{article}"})
    query = select(Product.id).where(Product.article == article, Product.archived.is_(False))
    if own_id:
        query = query.where(Product.id != own_id)
    if await session.scalar(query.limit(1)) is not None:
        raise AlreadyExists("article_exists", f"a product on offer has the article '{article}' already")


def _audit(session: AsyncSession, caller: Caller, product: Product, action: str, changes: dict[str, Any]) -> None:
    record_audit(
        session, entity_type="product", entity_id=product.id, action=action, actor_id=caller.user_id, changes=changes
    )
