"""An example partner system: it lists and creates companies in the CRM over gRPC with an API key.

An admin creates a service account and a key for it (POST /api/v1/service-accounts, then
POST /api/v1/service-accounts/<id>/api-keys with scopes such as contacts:read and
contacts:write); the partner sends the key in the `x-api-key` metadata of every call to the
service's gRPC API (in a cluster, through TLS: the key is a bearer credential).

    python e2e/partner/partner_client.py 127.0.0.1:50051 crm_xxxxxxxx "ООО Ромашка" 7707083893
"""

from __future__ import annotations

import asyncio
import sys

import grpc

from crm.common.v1 import common_pb2
from crm.contacts.v1 import contacts_pb2, contacts_pb2_grpc


class PartnerClient:
    """The contacts service as a partner sees it: every call carries the key and a deadline."""

    def __init__(self, target: str, api_key: str) -> None:
        self.channel = grpc.aio.insecure_channel(target)
        self.contacts = contacts_pb2_grpc.ContactsServiceStub(self.channel)
        self.metadata = (("x-api-key", api_key),)

    async def companies(self, query: str = "", limit: int = 50) -> list[contacts_pb2.Party]:
        kind = common_pb2.Filter(field="kind", op="eq", value="company")
        request = contacts_pb2.ListPartiesRequest(query=query, filters=[kind], limit=limit)
        return list((await self.contacts.ListParties(request, metadata=self.metadata, timeout=5)).parties)

    async def create_company(self, legal_name: str, inn: str) -> contacts_pb2.Party:
        party = contacts_pb2.Party(kind="company", company=contacts_pb2.CompanyDetails(legal_name=legal_name, inn=inn))
        request = contacts_pb2.CreatePartyRequest(party=party)
        return (await self.contacts.CreateParty(request, metadata=self.metadata, timeout=5)).party

    async def close(self) -> None:
        await self.channel.close()


async def main(target: str, key: str, legal_name: str, inn: str) -> None:
    client = PartnerClient(target, key)
    try:
        created = await client.create_company(legal_name, inn)
        print(f"created {created.id}: {created.display_name}")
        for party in await client.companies():
            print(party.id, party.display_name)
    finally:
        await client.close()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5]))
