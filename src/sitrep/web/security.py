"""Access rules: which hosts may be bound without a token, the token check, and which feed URLs may be fetched."""
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


def feed_url_problem(url: str) -> str | None:
    """Why the server should not fetch `url` (None when it may): http(s) only, and no loopback, private or
    link-local hosts (so an upload form cannot be used to probe the server's own network) unless
    SITREP_ALLOW_PRIVATE_FEEDS=1."""
    import os
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "url must be an http(s) feed URL"
    if os.environ.get("SITREP_ALLOW_PRIVATE_FEEDS") == "1":
        return None
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except (socket.gaierror, UnicodeError, ValueError):
        return f"cannot resolve {parts.hostname}"
    for info in infos:
        addr = ipaddress.ip_address(info[4][0].split("%")[0])
        if not addr.is_global:
            return f"refusing to fetch {parts.hostname}: not a public address (set SITREP_ALLOW_PRIVATE_FEEDS=1 to allow)"
    return None
