"""The web-form RPCs of MarketingService (a part of the servicer, grpc_api.MarketingServicer)."""

from __future__ import annotations

from typing import TypeAlias

import grpc
from sqlalchemy import select

from crm.marketing.v1 import marketing_pb2 as pb
from crm_core.auth import current_caller
from crm_core.db import Database
from crm_core.pagination import clamp_limit
from crm_core.protojson import timestamp
from crm_core.resources import SortKey, SortSpec, keyset_page
from crm_marketing.forms import Forms, form_draft
from crm_marketing.models import Form

Context: TypeAlias = grpc.aio.ServicerContext
FORM_SORT = SortSpec[None]("forms", {"created_at": SortKey("datetime", Form.created_at)}, "-created_at", Form.id)


def field_messages(form: Form) -> list[pb.FormField]:
    return [pb.FormField(**f) for f in form.fields]


def form_message(form: Form) -> pb.Form:
    return pb.Form(
        id=form.id,
        name=form.name,
        token=form.token,
        campaign_id=form.campaign_id or "",
        fields=field_messages(form),
        allowed_origins=form.allowed_origins,
        success_message_ru=form.success_message_ru,
        success_message_en=form.success_message_en,
        owner_id=form.owner_id or "",
        team_id=form.team_id or "",
        active=form.active,
        version=form.version,
        created_at=timestamp(form.created_at),
        created_by=form.created_by,
        rate_limit_per_minute=form.rate_limit_per_minute,
    )


class FormsApi:
    """CreateForm, GetForm, UpdateForm, ListForms, GetPublicForm, SubmitForm."""

    db: Database
    forms: Forms

    async def CreateForm(self, request: pb.CreateFormRequest, context: Context) -> pb.Form:
        """A new form with its public token."""
        return form_message(await self.forms.create_form(current_caller(), form_draft(request.form)))

    async def GetForm(self, request: pb.GetFormRequest, context: Context) -> pb.Form:
        """A form of the caller's (its author or owner; admins every one)."""
        async with self.db.readers() as session:
            return form_message(await Forms.get_form(session, current_caller(), request.id))

    async def UpdateForm(self, request: pb.UpdateFormRequest, context: Context) -> pb.Form:
        """Replaces the definition (the token stays); ABORTED on a stale expected_version."""
        form = await self.forms.update_form(
            current_caller(), request.form.id, form_draft(request.form), request.expected_version
        )
        return form_message(form)

    async def ListForms(self, request: pb.ListFormsRequest, context: Context) -> pb.ListFormsResponse:
        """The caller's forms (admins: every form), newest first."""
        caller = current_caller()
        query = select(Form)
        if not caller.is_admin:
            query = query.where((Form.created_by == caller.user_id) | (Form.owner_id == caller.user_id))
        async with self.db.readers() as session:
            page = await keyset_page(
                session, query, FORM_SORT.parse("").order(None), clamp_limit(request.limit), request.cursor
            )
        return pb.ListFormsResponse(forms=[form_message(f) for f in page.items], next_cursor=page.next_cursor)

    async def GetPublicForm(self, request: pb.GetPublicFormRequest, context: Context) -> pb.PublicForm:
        """What a site renders of an active form; NOT_FOUND for an unknown or inactive token."""
        form = await self.forms.public_form(request.token)
        return pb.PublicForm(
            token=form.token,
            name=form.name,
            fields=field_messages(form),
            allowed_origins=form.allowed_origins,
            success_message_ru=form.success_message_ru,
            success_message_en=form.success_message_en,
        )

    async def SubmitForm(self, request: pb.SubmitFormRequest, context: Context) -> pb.SubmitFormResponse:
        """A visitor's submission: rate limit, origin, honeypot, fields; then the lead (lead.captured)."""
        return await self.forms.submit(request)
