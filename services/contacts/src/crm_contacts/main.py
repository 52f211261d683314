"""Wiring of the contacts service."""

from __future__ import annotations

from crm.contacts.v1 import contacts_pb2, contacts_pb2_grpc
from crm_contacts import DOMAIN
from crm_contacts.commands import Contacts
from crm_contacts.consumers import project_onto_timeline
from crm_contacts.domain import KINDS
from crm_contacts.grpc_api import ContactsServicer
from crm_contacts.models import CustomFieldDefinition, RelationshipType
from crm_contacts.repository import party_is_visible
from crm_core.clock import Clock
from crm_core.common import CustomFieldTable, register_common
from crm_core.metrics import business_counter
from crm_core.registry import SERVICES
from crm_core.service import ServiceApp
from crm_core.settings import ServiceSettings

# Business figures, counted as their events commit (docs/observability.md#metrics).
business_counter("party.created", "crm_parties_created_total", "Parties (companies and people) created")
business_counter("party.merged", "crm_parties_merged_total", "Duplicate parties merged into another")


def build(settings: ServiceSettings | None = None, clock: Clock | None = None) -> ServiceApp:
    """The contacts service: gRPC API, outbox relay and the timeline consumer over every domain."""
    app = ServiceApp(settings or ServiceSettings.for_domain(DOMAIN), clock)
    servicer = ContactsServicer(app.db, Contacts(app.db, app.namespace, app.clock))
    app.add_servicer(
        contacts_pb2_grpc.add_ContactsServiceServicer_to_server,
        servicer,
        contacts_pb2.DESCRIPTOR.services_by_name["ContactsService"].full_name,
    )
    register_common(
        app,
        audit={"party": party_is_visible},
        custom_fields=CustomFieldTable(CustomFieldDefinition, KINDS),
        code_lists={"relationship_types": RelationshipType},
    )
    # Entries are keyed by event and party: order does not matter, so a backlog (a bulk load's events,
    # a burst of creates) is applied sixteen events per commit.
    app.add_consumer("timeline", SERVICES, project_onto_timeline, per_transaction=16)
    return app
