"""What the protos say about a gRPC method, looked up by its full name ("/crm.contacts.v1.ContactsService/GetParty")."""

from __future__ import annotations

from functools import cache

from google.protobuf import descriptor_pool, message_factory
from google.protobuf.descriptor import MethodDescriptor
from google.protobuf.descriptor_pb2 import MethodOptions
from google.protobuf.message import Message


@cache
def method_descriptor(full_method: str) -> MethodDescriptor | None:
    service, _, name = full_method.lstrip("/").rpartition("/")
    try:
        return descriptor_pool.Default().FindMethodByName(f"{service}.{name}")
    except KeyError:
        return None


def is_read_only(full_method: str) -> bool:
    """Whether the method is declared without side effects (`option idempotency_level = NO_SIDE_EFFECTS`)."""
    descriptor = method_descriptor(full_method)
    return descriptor is not None and descriptor.GetOptions().idempotency_level == MethodOptions.NO_SIDE_EFFECTS


def response_class(full_method: str) -> type[Message]:
    """The message class the method answers with."""
    descriptor = method_descriptor(full_method)
    if descriptor is None:
        raise KeyError(full_method)
    return message_factory.GetMessageClass(descriptor.output_type)
