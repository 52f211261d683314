"""/api/v1/products: the catalogue of products and services deal lines pick from (owned by deals).

Everyone signed in reads it; admins and users with the role catalog_manager
change it (403 otherwise). Units of measure are the code list /api/v1/units
(routers.common).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from google.protobuf import field_mask_pb2

from crm.deals.v1 import deals_pb2 as pb
from crm_gateway import rest
from crm_gateway.deps import Call, Cursor, IfMatch, Limit
from crm_gateway.schemas.common import Page
from crm_gateway.schemas.deals import ProductCreate, ProductOut, ProductPatch

router = APIRouter(prefix="/api/v1/products", tags=["products"])


def _product(message: pb.Product, response: Response) -> ProductOut:
    return rest.versioned(message, ProductOut, response)


@router.get("", response_model=Page[ProductOut], summary="Products and services by name")
async def list_products(
    call: Call,
    q: Annotated[str, Query(max_length=200, description="A prefix of the name or the article")] = "",
    kind: Annotated[str, Query(max_length=64, description="product or service; empty: both")] = "",
    include_archived: bool = False,
    limit: Limit = 50,
    cursor: Cursor = "",
) -> Page[ProductOut]:
    result = await call.deals.ListProducts(
        pb.ListProductsRequest(query=q, kind=kind, include_archived=include_archived, limit=limit, cursor=cursor)
    )
    return Page[ProductOut](items=[rest.out(p, ProductOut) for p in result.products], next_cursor=result.next_cursor)


@router.post(
    "", response_model=ProductOut, status_code=201, summary="Add a product or service (admin, catalog manager)"
)
async def create_product(body: ProductCreate, call: Call, response: Response) -> ProductOut:
    message = await call.deals.CreateProduct(pb.CreateProductRequest(product=rest.body_message(body, pb.Product)))
    response.headers["Location"] = f"/api/v1/products/{message.id}"
    return _product(message, response)


@router.get("/{product_id}", response_model=ProductOut, summary="A product, archived ones too (ETag = version)")
async def get_product(product_id: str, call: Call, response: Response) -> ProductOut:
    return _product(await call.deals.GetProduct(pb.GetProductRequest(id=product_id)), response)


@router.patch(
    "/{product_id}",
    response_model=ProductOut,
    summary="Change, archive or restore a product (JSON merge patch; If-Match; admin, catalog manager)",
)
async def update_product(
    product_id: str, body: ProductPatch, call: Call, response: Response, if_match: IfMatch = None
) -> ProductOut:
    patch, paths = rest.merge_patch(body.model_dump(mode="json", exclude_unset=True))
    product = rest.body_message(ProductPatch.model_validate(patch), pb.Product)
    product.id = product_id
    message = await call.deals.UpdateProduct(
        pb.UpdateProductRequest(
            product=product,
            update_mask=field_mask_pb2.FieldMask(paths=paths),
            expected_version=rest.expected_version(if_match),
        )
    )
    return _product(message, response)
