"""Events: envelope, transactional outbox, relay to JetStream, idempotent inbox consumers."""

from crm_core.events.bus import EventBus
from crm_core.events.envelope import Namespace
from crm_core.events.inbox import EventConsumer
from crm_core.events.outbox import NewEvent, record_event, record_events
from crm_core.events.relay import OutboxRelay

__all__ = ["EventBus", "EventConsumer", "Namespace", "NewEvent", "OutboxRelay", "record_event", "record_events"]
