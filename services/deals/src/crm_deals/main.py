"""Wiring of the deals service."""

from __future__ import annotations

from crm.deals.v1 import deals_pb2, deals_pb2_grpc
from crm_core.answered import copied_fields
from crm_core.clock import Clock
from crm_core.common import CustomFieldTable, register_common
from crm_core.metrics import business_counter
from crm_core.service import ServiceApp
from crm_core.settings import ServiceSettings
from crm_deals import DOMAIN
from crm_deals.commands import Deals
from crm_deals.consumers import follow_parties
from crm_deals.grpc_api import DealsServicer
from crm_deals.models import DealCustomField, LossReason, Unit
from crm_deals.next_steps import follow_tasks
from crm_deals.plans import SalesPlans
from crm_deals.reference import Reference
from crm_deals.repository import deal_is_visible

# Business figures, counted as their events commit (docs/observability.md#metrics).
business_counter("deal.created", "crm_deals_created_total", "Deals created")
business_counter("deal.won", "crm_deals_won_total", "Deals won")
business_counter("deal.lost", "crm_deals_lost_total", "Deals lost")


def build(settings: ServiceSettings | None = None, clock: Clock | None = None) -> ServiceApp:
    """The deals service: gRPC API, outbox relay and the consumers following party and task changes."""
    settings = settings or ServiceSettings.for_domain(DOMAIN)
    app = ServiceApp(settings, clock)
    servicer = DealsServicer(
        app.db,
        Deals(app.db, app.namespace, app.clock),
        Reference(app.db, app.clock, settings.default_language),
        app.clock,
        SalesPlans(app.db, app.clock),
    )
    service_name = deals_pb2.DESCRIPTOR.services_by_name["DealsService"].full_name
    app.add_servicer(deals_pb2_grpc.add_DealsServiceServicer_to_server, servicer, service_name)
    register_common(
        app,
        # Sales plans and products are audited too (crm_deals.plans, crm_deals.catalogue); their trail is not served here, so ListAudit keeps
        # "deal" as the kind a request without entity_type means.
        audit={"deal": deal_is_visible},
        custom_fields=CustomFieldTable(DealCustomField, ("deal",)),
        code_lists={"loss_reasons": LossReason, "units": Unit},
    )
    # The gateway reads the client's name from contacts at each attempt: a rename between a create and its
    # retry must not make the retry a second deal (the name is taken from deals' own copy anyway).
    for method in ("CreateDeal", "UpdateDeal"):
        copied_fields(f"/{service_name}/{method}", "deal.client_name")
    # Copies keep the newest version whatever the order: a backlog is applied sixteen events per commit.
    app.add_consumer("parties", ["contacts"], follow_parties, per_transaction=16)
    # Deals' next steps: the tasks about deals (crm_deals.next_steps); versions make the order irrelevant.
    app.add_consumer("tasks", ["tasks"], follow_tasks, per_transaction=16)
    return app
