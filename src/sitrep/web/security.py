"""Access rules: which hosts may be bound without a token, and the token check for the API and the pages."""
from __future__ import annotations

import hmac
import ipaddress

from fastapi import Request

COOKIE = "sitrep_token"
LOOPBACK_NAMES = {"localhost", "ip6-localhost", "ip6-loopback"}


def is_loopback(host: str) -> bool:
    host = host.strip().strip("[]")
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind_problem(host: str, token: str | None) -> str | None:
    """Why `host` may not be bound (None when it may): anything but loopback needs a token."""
    if not is_loopback(host) and not token:
        return (f"refusing to listen on {host} without a token: anyone who can reach it could read and add data; "
                f"pass --token or set SITREP_TOKEN (or bind to 127.0.0.1)")
    return None


def request_token(request: Request) -> str | None:
    auth = request.headers.get("authorization") or ""
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.query_params.get("token") or request.cookies.get(COOKIE)


def token_ok(request: Request, token: str | None) -> bool:
    if not token:
        return True
    given = request_token(request)
    return bool(given) and hmac.compare_digest(given.encode(), token.encode())
