"""The address a request came from, for per-address limits (public form submissions).

Behind an Ingress the socket's peer is the proxy; CRM_GATEWAY_TRUSTED_PROXIES
says how many proxies stand in front, and the address is the one the outermost
of them saw (X-Forwarded-For, counted from the right). With no trusted proxy
the header is ignored: a visitor could write anything there.
"""

from __future__ import annotations

from fastapi import Request


def client_address(request: Request, trusted_proxies: int) -> str:
    peer = request.client.host if request.client else ""
    if trusted_proxies <= 0:
        return peer
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",") if h.strip()]
    return hops[-trusted_proxies] if len(hops) >= trusted_proxies else (hops[0] if hops else peer)
