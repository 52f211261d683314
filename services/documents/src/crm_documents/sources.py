"""What a document is made from, read from its owners as the caller: the deal (deals), the client's
requisites (contacts), the units' labels (deals' code list `units`).

Deals and contacts apply the caller's access: a deal the caller may not see is NOT_FOUND here too, so a
document can only be made by someone who sees its deal. The deal's scope comes with it and is kept in
access_scope, so the document is shown exactly to those who see the deal (its later events refresh it).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from crm.common.v1 import common_pb2, common_pb2_grpc
from crm.contacts.v1 import contacts_pb2, contacts_pb2_grpc
from crm.deals.v1 import deals_pb2, deals_pb2_grpc
from crm.events.v1.envelope_pb2 import AccessScope
from crm_core.auth import Caller
from crm_core.errors import NotFound
from crm_core.peers import PeerChannels
from crm_core.scopes import scope_of
from crm_documents.document_data import Deal, Line, Party, decimal_of


@dataclass(frozen=True)
class DealSource:
    deal: Deal
    scope: AccessScope


def deal_of(message: deals_pb2.Deal) -> Deal:
    """The deal as documents print it, its amounts as Decimals."""
    lines = tuple(
        Line(
            name=line.product,
            quantity=decimal_of(line.quantity, "quantity"),
            price=decimal_of(line.price, "price"),
            total=decimal_of(line.total, "line total"),
            unit_code=line.unit_code or "796",
            article=line.article,
            discount_percent=decimal_of(line.discount_percent, "discount"),
            vat_rate=line.vat_rate or "none",
        )
        for line in message.lines
    )
    return Deal(
        id=message.id,
        title=message.title,
        currency=message.currency or "RUB",
        vat_mode=message.vat_mode,
        lines=lines,
        client_id=message.client_id,
        client_name=message.client_name,
        vat_amount=Decimal(message.vat_amount) if message.vat_amount else None,
        gross=Decimal(message.total_with_vat) if message.total_with_vat else None,
    )


def party_of(message: contacts_pb2.Party) -> Party:
    """A party's requisites for printing: a company's legal details and first bank account, a person's name."""
    company = message.company
    bank = company.bank_accounts[0] if company.bank_accounts else contacts_pb2.BankAccount()
    return Party(
        name=company.short_name or message.display_name,
        full_name=company.legal_name or message.display_name,
        inn=company.inn,
        kpp=company.kpp,
        ogrn=company.ogrn,
        address=company.legal_address or company.postal_address,
        phone=message.phones[0].value if message.phones else "",
        email=message.emails[0].value if message.emails else "",
        bank_name=bank.bank_name,
        bik=bank.bic,
        correspondent_account=bank.correspondent_account,
        account=bank.checking_account,
    )


class Sources:
    """Reads of deals and contacts for documents, as the caller."""

    def __init__(self, peers: PeerChannels) -> None:
        self.peers = peers

    async def deal(self, caller: Caller, deal_id: str) -> DealSource:
        stub = deals_pb2_grpc.DealsServiceStub(self.peers.channel("deals"))
        message = await self.peers.call("deals", stub.GetDeal, deals_pb2.GetDealRequest(id=deal_id), caller)
        scope = scope_of(
            "deal",
            message.id,
            owner_id=message.owner_id,
            team_id=message.team_id,
            shared_with=message.shared_with,
            version=message.version,
        )
        return DealSource(deal_of(message), scope)

    async def party(self, caller: Caller, party_id: str, fallback_name: str) -> Party:
        """The client's requisites; a client the caller may not see prints with the name the deal shows."""
        if not party_id:
            return Party(name=fallback_name)
        stub = contacts_pb2_grpc.ContactsServiceStub(self.peers.channel("contacts"))
        try:
            message = await self.peers.call(
                "contacts", stub.GetParty, contacts_pb2.GetPartyRequest(id=party_id), caller
            )
        except NotFound:
            return Party(name=fallback_name)
        return party_of(message)

    async def units(self, caller: Caller, language: str) -> dict[str, str]:
        """OKEI code -> its short label in `language` (deals' code list `units`, archived codes too)."""
        stub = common_pb2_grpc.CodeListsServiceStub(self.peers.channel("deals"))
        request = common_pb2.ListCodesRequest(list="units", include_archived=True)
        response = await self.peers.call("deals", stub.ListCodes, request, caller)
        return {c.code: (c.label_ru if language == "ru" else c.label_en) or c.code for c in response.codes}
