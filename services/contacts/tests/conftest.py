"""Fixtures of the contacts tests: a migrated database, a running service, callers."""

from __future__ import annotations

from crm.contacts.v1 import contacts_pb2_grpc
from crm_contacts.main import build
from crm_core.testing import COMMON_STUBS, caller_stub_fixtures, service_fixtures

contacts_db_url, contacts_app, channel = service_fixtures("contacts", build)
admin, alice, bob, carol = caller_stub_fixtures(contacts_pb2_grpc.ContactsServiceStub, *COMMON_STUBS)
