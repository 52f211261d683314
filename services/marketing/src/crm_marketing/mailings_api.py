"""The segment, mail template, mailing, tracking and suppression RPCs of MarketingService (a part of the servicer,
grpc_api.MarketingServicer): protobuf <-> typed inputs and records, nothing more."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TypeAlias

import grpc

from crm.common.v1 import common_pb2
from crm.marketing.v1 import marketing_pb2 as pb
from crm_core.auth import current_caller
from crm_core.db import Database
from crm_core.errors import invalid
from crm_core.pagination import clamp_limit
from crm_core.protojson import timestamp
from crm_marketing.mailing_inputs import mailing_draft, template_draft
from crm_marketing.mailings import MailingCounts, Mailings
from crm_marketing.models import Mailing, MailRecipient, MailSuppression, MailTemplate, Segment
from crm_marketing.segment_export import export_csv, export_xlsx
from crm_marketing.segments import Member, Segments, segment_draft
from crm_marketing.tracking import Tracking

Context: TypeAlias = grpc.aio.ServicerContext
CHUNK = 64 * 1024


def segment_message(segment: Segment) -> pb.Segment:
    return pb.Segment(
        id=segment.id,
        name=segment.name,
        kind=segment.kind,
        source=segment.source,
        query=segment.query,
        filters=[common_pb2.Filter(field=f[0], op=f[1], value=f[2]) for f in segment.filters],
        owner_id=segment.owner_id,
        team_id=segment.team_id or "",
        shared_with=segment.shared_with,
        description=segment.description,
        version=segment.version,
        created_at=timestamp(segment.created_at),
        updated_at=timestamp(segment.updated_at),
        created_by=segment.created_by,
    )


def member_message(member: Member) -> pb.SegmentMember:
    return pb.SegmentMember(
        kind=member.kind,
        id=member.id,
        name=member.name,
        first_name=member.first_name,
        last_name=member.last_name,
        company=member.company,
        email=member.email,
        phone=member.phone,
        position=member.position,
    )


def template_message(template: MailTemplate) -> pb.MailTemplate:
    return pb.MailTemplate(
        id=template.id,
        name=template.name,
        subject=template.subject,
        text=template.text,
        html=template.html,
        owner_id=template.owner_id,
        team_id=template.team_id or "",
        shared_with=template.shared_with,
        version=template.version,
        created_at=timestamp(template.created_at),
        created_by=template.created_by,
    )


def mailing_message(mailing: Mailing, counts: MailingCounts) -> pb.Mailing:
    message = pb.Mailing(
        id=mailing.id,
        name=mailing.name,
        template_id=mailing.template_id,
        segment_id=mailing.segment_id,
        campaign_id=mailing.campaign_id,
        from_address=mailing.from_address,
        status=mailing.status,
        owner_id=mailing.owner_id,
        team_id=mailing.team_id or "",
        shared_with=mailing.shared_with,
        version=mailing.version,
        created_at=timestamp(mailing.created_at),
        created_by=mailing.created_by,
        counts=counts.by_status,
        opened=counts.opened,
        clicked=counts.clicked,
    )
    if mailing.send_requested_at:
        message.send_requested_at.CopyFrom(timestamp(mailing.send_requested_at))
    if mailing.finished_at:
        message.finished_at.CopyFrom(timestamp(mailing.finished_at))
    return message


def recipient_message(recipient: MailRecipient) -> pb.MailRecipient:
    message = pb.MailRecipient(
        id=recipient.id,
        mailing_id=recipient.mailing_id or "",
        record_kind=recipient.record_kind,
        record_id=recipient.record_id,
        email=recipient.email,
        name=str(recipient.merge.get("name", "")),
        status=recipient.status,
        attempts=recipient.attempts,
        error=recipient.error,
        clicks=recipient.clicks,
    )
    for name in ("sent_at", "opened_at", "clicked_at"):
        value = getattr(recipient, name)
        if value is not None:
            getattr(message, name).CopyFrom(timestamp(value))
    return message


def suppression_message(row: MailSuppression) -> pb.Suppression:
    return pb.Suppression(
        email=row.email_key, reason=row.reason, created_at=timestamp(row.created_at), created_by=row.created_by
    )


class MailingsApi:
    """Segments, mail templates, mailings, SendTemplate, tracking and the suppression list."""

    db: Database
    segments: Segments
    mailings: Mailings
    tracking: Tracking

    def attach_mailings(self, segments: Segments, mailings: Mailings, tracking: Tracking) -> None:
        """Give the servicer its segment, mailing and tracking commands (main.build)."""
        self.segments = segments
        self.mailings = mailings
        self.tracking = tracking

    # Segments --------------------------------------------------------------------------

    async def _segment(self, segment_id: str) -> Segment:
        async with self.db.readers() as session:
            return await Segments.get(session, current_caller(), segment_id)

    async def CreateSegment(self, request: pb.CreateSegmentRequest, context: Context) -> pb.Segment:
        """A dynamic segment (its filter tried once as the caller) or an empty static one."""
        segment = await self.segments.create(current_caller(), segment_draft(request.segment))
        return segment_message(segment)

    async def GetSegment(self, request: pb.GetSegmentRequest, context: Context) -> pb.Segment:
        """A segment the caller sees."""
        return segment_message(await self._segment(request.id))

    async def ListSegments(self, request: pb.ListSegmentsRequest, context: Context) -> pb.ListSegmentsResponse:
        """Visible segments, newest first, by words of the name."""
        page = await self.segments.list_segments(
            current_caller(), request.query, clamp_limit(request.limit), request.cursor
        )
        return pb.ListSegmentsResponse(segments=[segment_message(s) for s in page.items], next_cursor=page.next_cursor)

    async def _change_members(self, request: pb.SegmentMembersRequest, add: bool) -> pb.Segment:
        refs = [(m.kind, m.id.strip()) for m in request.members]
        segment = await self.segments.change_members(
            current_caller(), request.segment_id, refs, request.expected_version, add=add
        )
        return segment_message(segment)

    async def AddSegmentMembers(self, request: pb.SegmentMembersRequest, context: Context) -> pb.Segment:
        """Adds parties and leads the caller sees to a static segment."""
        return await self._change_members(request, True)

    async def RemoveSegmentMembers(self, request: pb.SegmentMembersRequest, context: Context) -> pb.Segment:
        """Removes members from a static segment."""
        return await self._change_members(request, False)

    async def CountSegment(self, request: pb.CountSegmentRequest, context: Context) -> pb.CountSegmentResponse:
        """How many members the caller sees."""
        count, capped = await self.segments.count(current_caller(), await self._segment(request.segment_id))
        return pb.CountSegmentResponse(count=count, capped=capped)

    async def ListSegmentMembers(
        self, request: pb.ListSegmentMembersRequest, context: Context
    ) -> pb.ListSegmentMembersResponse:
        """A page of the members the caller sees."""
        caller = current_caller()
        segment = await self._segment(request.segment_id)
        members, cursor = await self.segments.page(caller, segment, clamp_limit(request.limit), request.cursor)
        return pb.ListSegmentMembersResponse(members=[member_message(m) for m in members], next_cursor=cursor)

    async def ExportSegment(self, request: pb.ExportSegmentRequest, context: Context) -> AsyncIterator[pb.FileChunk]:
        """The members the caller sees as CSV (streamed as read) or XLSX, in chunks."""
        caller = current_caller()
        file_format = request.format or "csv"
        if file_format not in ("csv", "xlsx"):
            raise invalid("format", "invalid_choice", "format must be csv or xlsx")
        segment = await self._segment(request.segment_id)
        members = self.segments.iter_members(caller, segment)
        filename = f"segment-{segment.id[:8]}.{file_format}"
        content_type = (
            "text/csv; charset=utf-8"
            if file_format == "csv"
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        first = True
        if file_format == "csv":
            async for part in export_csv(members):
                yield pb.FileChunk(
                    data=part, filename=filename if first else "", content_type=content_type if first else ""
                )
                first = False
            return
        data = await export_xlsx(members)
        for start in range(0, max(len(data), 1), CHUNK):
            yield pb.FileChunk(
                data=data[start : start + CHUNK],
                filename=filename if first else "",
                content_type=content_type if first else "",
            )
            first = False

    # Templates and mailings ------------------------------------------------------------

    async def CreateMailTemplate(self, request: pb.CreateMailTemplateRequest, context: Context) -> pb.MailTemplate:
        """A template whose merge fields and syntax were checked."""
        template = await self.mailings.create_template(current_caller(), template_draft(request.template))
        return template_message(template)

    async def GetMailTemplate(self, request: pb.GetMailTemplateRequest, context: Context) -> pb.MailTemplate:
        """A template the caller sees."""
        async with self.db.readers() as session:
            return template_message(await Mailings.get_template(session, current_caller(), request.id))

    async def ListMailTemplates(
        self, request: pb.ListMailTemplatesRequest, context: Context
    ) -> pb.ListMailTemplatesResponse:
        """Visible templates, newest first."""
        page = await self.mailings.list_templates(current_caller(), clamp_limit(request.limit), request.cursor)
        return pb.ListMailTemplatesResponse(
            templates=[template_message(t) for t in page.items], next_cursor=page.next_cursor
        )

    async def _mailing(self, mailing: Mailing) -> pb.Mailing:
        counts = await self.mailings.counts([mailing.id])
        return mailing_message(mailing, counts[mailing.id])

    async def CreateMailing(self, request: pb.CreateMailingRequest, context: Context) -> pb.Mailing:
        """A draft: a visible template, segment and campaign of type mailing."""
        return await self._mailing(await self.mailings.create_mailing(current_caller(), mailing_draft(request.mailing)))

    async def GetMailing(self, request: pb.GetMailingRequest, context: Context) -> pb.Mailing:
        """A mailing the caller sees, with its recipients counted by status."""
        async with self.db.readers() as session:
            mailing = await Mailings.get_mailing(session, current_caller(), request.id)
        return await self._mailing(mailing)

    async def ListMailings(self, request: pb.ListMailingsRequest, context: Context) -> pb.ListMailingsResponse:
        """Visible mailings, newest first (of one campaign when given)."""
        page = await self.mailings.list_mailings(
            current_caller(), request.campaign_id, clamp_limit(request.limit), request.cursor
        )
        counts = await self.mailings.counts([m.id for m in page.items])
        return pb.ListMailingsResponse(
            mailings=[mailing_message(m, counts[m.id]) for m in page.items], next_cursor=page.next_cursor
        )

    async def TestSendMailing(self, request: pb.TestSendMailingRequest, context: Context) -> pb.TestSendMailingResponse:
        """The message to one address now, marked as a test."""
        message_id = await self.mailings.test_send(current_caller(), request.id, request.email)
        return pb.TestSendMailingResponse(message_id=message_id)

    async def SendMailing(self, request: pb.SendMailingRequest, context: Context) -> pb.Mailing:
        """Recipients resolved as the caller and queued; the background sender sends them."""
        mailing = await self.mailings.send(current_caller(), request.id, request.expected_version)
        return await self._mailing(mailing)

    async def ListMailingRecipients(
        self, request: pb.ListMailingRecipientsRequest, context: Context
    ) -> pb.ListMailingRecipientsResponse:
        """A mailing's recipients with their statuses, opens and clicks."""
        page = await self.mailings.list_recipients(
            current_caller(), request.mailing_id, request.status, clamp_limit(request.limit), request.cursor
        )
        return pb.ListMailingRecipientsResponse(
            recipients=[recipient_message(r) for r in page.items], next_cursor=page.next_cursor
        )

    async def SendTemplate(self, request: pb.SendTemplateRequest, context: Context) -> pb.SendTemplateResponse:
        """A template to a lead's or party's e-mail, once per key (nurturing processes)."""
        recipient = await self.mailings.send_template(
            current_caller(), request.template_id, request.record_kind, request.record_id, request.key
        )
        return pb.SendTemplateResponse(recipient_id=recipient.id, status=recipient.status)

    # Tracking and suppressions ---------------------------------------------------------

    async def TrackOpen(self, request: pb.TrackRequest, context: Context) -> pb.TrackResponse:
        """The open pixel: the first open is recorded (message.opened)."""
        await self.tracking.opened(request.token)
        return pb.TrackResponse()

    async def TrackClick(self, request: pb.TrackRequest, context: Context) -> pb.TrackResponse:
        """A tracked link: counted (message.clicked on its first click); the signed target to redirect to."""
        return pb.TrackResponse(url=await self.tracking.clicked(request.token))

    async def GetUnsubscribe(self, request: pb.TrackRequest, context: Context) -> pb.TrackResponse:
        """Which address an unsubscribe link is for (partly hidden); nothing changes."""
        return pb.TrackResponse(email=await self.tracking.unsubscribe_target(request.token))

    async def Unsubscribe(self, request: pb.TrackRequest, context: Context) -> pb.TrackResponse:
        """The link's address joins the suppression list for good."""
        return pb.TrackResponse(email=await self.tracking.unsubscribe(request.token))

    async def ListSuppressions(
        self, request: pb.ListSuppressionsRequest, context: Context
    ) -> pb.ListSuppressionsResponse:
        """Suppressed addresses, newest first."""
        page = await self.tracking.list_suppressions(current_caller(), clamp_limit(request.limit), request.cursor)
        return pb.ListSuppressionsResponse(
            suppressions=[suppression_message(s) for s in page.items], next_cursor=page.next_cursor
        )

    async def AddSuppression(self, request: pb.SuppressionRequest, context: Context) -> pb.Suppression:
        """An address nobody may mail again (audited)."""
        return suppression_message(await self.tracking.add_suppression(current_caller(), request.email))

    async def RemoveSuppression(self, request: pb.SuppressionRequest, context: Context) -> pb.RemoveSuppressionResponse:
        """Admins only, audited."""
        await self.tracking.remove_suppression(current_caller(), request.email)
        return pb.RemoveSuppressionResponse()
