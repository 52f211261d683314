"""Portal tokens and staff tokens are told apart by audience and type: neither decodes as the other."""

from __future__ import annotations

from datetime import timedelta

import jwt

from crm_core.db import utcnow
from crm_gateway.identity import User, decode_access_token, issue_access_token
from crm_gateway.portal_auth import PortalClaims, decode_portal_token, issue_portal_token

SECRET = "s" * 40


def test_a_portal_token_names_its_user_and_session_and_is_no_staff_token() -> None:
    token = issue_portal_token("p-1", "s-1", SECRET)
    assert decode_portal_token(token, SECRET) == PortalClaims("p-1", "s-1")
    assert decode_access_token(token, SECRET) is None
    assert decode_portal_token(token, "x" * 40) is None


def test_a_staff_token_is_no_portal_token() -> None:
    staff = issue_access_token(User(id="u-1", username="anna", access_version=1), "s-1", SECRET, 15)
    assert decode_access_token(staff, SECRET) is not None
    assert decode_portal_token(staff, SECRET) is None


def test_a_portal_audience_without_the_portal_type_or_expired_is_refused() -> None:
    now = utcnow()
    claims = {"sub": "p-1", "sid": "s-1", "aud": "crm-portal", "iat": now, "exp": now + timedelta(hours=1)}
    assert decode_portal_token(jwt.encode({**claims, "typ": "access"}, SECRET, algorithm="HS256"), SECRET) is None
    expired = {**claims, "typ": "portal", "exp": now - timedelta(minutes=1)}
    assert decode_portal_token(jwt.encode(expired, SECRET, algorithm="HS256"), SECRET) is None
