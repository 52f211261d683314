"""State changes of the helpdesk service: one transaction each, with audit entry and outbox event.

A command takes a typed input (inputs.py: a dataclass parsed once from its protobuf message, every rule
of its own values applied there), applies the rules that need stored data, writes through the ORM,
records who changed what (crm_core.audit.record_audit) and adds its event to the outbox
(crm_core.events.record_event) in the same transaction, so the relay publishes it to the stream once
committed. The skeleton changes nothing yet:
services/deals/src/crm_deals/commands.py shows the shape of the first command.
"""
