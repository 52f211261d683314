"""How the services page sums a service's health checks up into one status."""

import pytest

from crm_gateway.routers.system import overall


@pytest.mark.parametrize(
    ("server", "consumers", "status"),
    [
        ("SERVING", None, "SERVING"),
        ("SERVING", "SERVING", "SERVING"),
        ("SERVING", "NOT_SERVING", "NOT_SERVING"),
        ("NOT_SERVING", "SERVING", "NOT_SERVING"),
        ("UNREACHABLE", "UNREACHABLE", "UNREACHABLE"),
        (None, None, "UNREACHABLE"),
    ],
)
def test_a_stalled_consumer_or_a_draining_server_is_not_serving(server, consumers, status) -> None:
    assert overall(server, consumers) == status
