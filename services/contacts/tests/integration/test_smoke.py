from crm.contacts.v1 import contacts_pb2 as pb


async def test_create_and_get_company(alice, fake):
    created = await alice.CreateParty(
        pb.CreatePartyRequest(
            party=pb.Party(
                kind="company", company=pb.CompanyDetails(legal_name=fake.company(), inn=fake.businesses_inn())
            )
        )
    )
    got = await alice.GetParty(pb.GetPartyRequest(id=created.party.id))
    assert got.display_name == created.party.display_name
    assert got.owner_id == "u-alice"
    assert got.team_id == "team-north"
