"""/api/v1/pipelines: pipelines and their stages, and the kanban board of a pipeline."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from google.protobuf import field_mask_pb2

from crm.deals.v1 import deals_pb2 as pb
from crm_gateway import rest
from crm_gateway.deps import Call, Cursor, Filters, IfMatch
from crm_gateway.schemas.deals import (
    KanbanColumnOut,
    KanbanOut,
    PipelineCreate,
    PipelineOut,
    PipelinePatch,
    StageAdd,
    StageOrder,
    StagePatch,
)

router = APIRouter(prefix="/api/v1/pipelines", tags=["pipelines"])

Query_ = Annotated[str, Query(max_length=200, description="Words of the deal title or client name")]
CardSort = Annotated[
    str,
    Query(
        max_length=100,
        description="Card order: created_at, updated_at, amount, expected_close_date, stage_entered_at, "
        "distance, expected_amount, title; '-' for descending (default -updated_at)",
    ),
]
Cards = Annotated[int, Query(ge=1, le=200, description="Cards per column")]


def _set(changes: dict[str, Any]) -> dict[str, Any]:
    """A merge patch's values without its nulls (a null clears: the field's zero value)."""
    return {key: value for key, value in changes.items() if value is not None}


def _pipeline(message: pb.Pipeline, response: Response) -> PipelineOut:
    return rest.versioned(message, PipelineOut, response)


@router.get("", response_model=list[PipelineOut], summary="Pipelines with their stages")
async def list_pipelines(call: Call, include_archived: bool = False) -> list[PipelineOut]:
    result = await call.deals.ListPipelines(pb.ListPipelinesRequest(include_archived=include_archived))
    return [rest.out(p, PipelineOut) for p in result.pipelines]


@router.post("", response_model=PipelineOut, status_code=201, summary="Create a pipeline (admin)")
async def create_pipeline(body: PipelineCreate, call: Call, response: Response) -> PipelineOut:
    request = rest.body_message(body, pb.CreatePipelineRequest)
    message = await call.deals.CreatePipeline(request)
    response.headers["Location"] = f"/api/v1/pipelines/{message.id}"
    return _pipeline(message, response)


@router.get("/{pipeline_id}", response_model=PipelineOut, summary="A pipeline (ETag = version)")
async def get_pipeline(pipeline_id: str, call: Call, response: Response) -> PipelineOut:
    return _pipeline(await call.deals.GetPipeline(pb.GetPipelineRequest(id=pipeline_id)), response)


@router.patch("/{pipeline_id}", response_model=PipelineOut, summary="Rename, archive or set stale_days (admin)")
async def update_pipeline(
    pipeline_id: str, body: PipelinePatch, call: Call, response: Response, if_match: IfMatch = None
) -> PipelineOut:
    changes = body.model_dump(exclude_unset=True)
    request = pb.UpdatePipelineRequest(
        # The pipeline's fields on their own: a number too large for its field is named as the service names it.
        pipeline=rest.to_message({"id": pipeline_id, **_set(changes)}, pb.Pipeline),
        update_mask=field_mask_pb2.FieldMask(paths=sorted(changes)),
        expected_version=rest.expected_version(if_match),
    )
    return _pipeline(await call.deals.UpdatePipeline(request), response)


@router.post("/{pipeline_id}/stages", response_model=PipelineOut, status_code=201, summary="Add a stage (admin)")
async def add_stage(
    pipeline_id: str, body: StageAdd, call: Call, response: Response, if_match: IfMatch = None
) -> PipelineOut:
    stage = body.model_dump(exclude={"position"}, exclude_none=True)
    request = rest.to_message({"stage": stage, "position": body.position}, pb.AddStageRequest)
    request.pipeline_id, request.expected_version = pipeline_id, rest.expected_version(if_match)
    return _pipeline(await call.deals.AddStage(request), response)


@router.patch(
    "/{pipeline_id}/stages/{stage_id}",
    response_model=PipelineOut,
    summary="Rename a stage, change its probability or time limit, archive it (admin)",
)
async def update_stage(
    pipeline_id: str, stage_id: str, body: StagePatch, call: Call, response: Response, if_match: IfMatch = None
) -> PipelineOut:
    changes = body.model_dump(exclude_unset=True)
    request = rest.to_message(
        {"pipeline_id": pipeline_id, "stage": {"id": stage_id, **_set(changes)}}, pb.UpdateStageRequest
    )
    request.update_mask.paths.extend(sorted(changes))
    request.expected_version = rest.expected_version(if_match)
    return _pipeline(await call.deals.UpdateStage(request), response)


@router.put("/{pipeline_id}/stage-order", response_model=PipelineOut, summary="Reorder the active stages (admin)")
async def reorder_stages(
    pipeline_id: str, body: StageOrder, call: Call, response: Response, if_match: IfMatch = None
) -> PipelineOut:
    request = pb.ReorderStagesRequest(
        pipeline_id=pipeline_id, stage_ids=body.stage_ids, expected_version=rest.expected_version(if_match)
    )
    return _pipeline(await call.deals.ReorderStages(request), response)


@router.get(
    "/{pipeline_id}/kanban",
    response_model=KanbanOut,
    summary="The board: per stage the count and sums of every visible matching deal, and the first cards",
)
async def kanban(
    pipeline_id: str,
    call: Call,
    q: Query_ = "",
    filters: Filters = [],
    sort: CardSort = "",
    limit: Cards = 20,
    include_closed: Annotated[bool, Query(description="Also the won and lost columns")] = False,
) -> KanbanOut:
    request = pb.GetKanbanRequest(
        pipeline_id=pipeline_id,
        query=q,
        filters=rest.parse_filters(filters),
        sort=sort,
        limit=limit,
        include_closed=include_closed,
    )
    return rest.out(await call.deals.GetKanban(request), KanbanOut)


@router.get(
    "/{pipeline_id}/kanban/{stage_id}",
    response_model=KanbanColumnOut,
    summary="More cards of one column (pass the column's next_cursor with the same q, filter and sort)",
)
async def kanban_column(
    pipeline_id: str,
    stage_id: str,
    call: Call,
    q: Query_ = "",
    filters: Filters = [],
    sort: CardSort = "",
    limit: Cards = 20,
    cursor: Cursor = "",
) -> KanbanColumnOut:
    request = pb.GetKanbanRequest(
        pipeline_id=pipeline_id,
        query=q,
        filters=rest.parse_filters(filters),
        sort=sort,
        limit=limit,
        stage_id=stage_id,
        cursor=cursor,
        include_closed=True,
    )
    board = await call.deals.GetKanban(request)
    return rest.out(board.columns[0], KanbanColumnOut)
