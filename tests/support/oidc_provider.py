"""A minimal but real OpenID Connect provider for tests (authorization-code flow).

Mocking the OIDC client library proves nothing about discovery, redirects,
client authentication, PKCE or id_token signature checks.  This provider
speaks real HTTP on 127.0.0.1 (free port, background thread), signs id_tokens
with a fresh RSA key (RS256) and auto-approves every authorization request as
the user configured with ``login_as()``.

    with OIDCTestProvider("client", "secret") as idp:
        idp.login_as(sub="u1", email="u1@example.org", given_name="Ute")
        # point the relying party at idp.issuer (discovery at idp.discovery_url)

Endpoints: /.well-known/openid-configuration, /authorize, /token, /userinfo,
/jwks, /logout (end_session_endpoint).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import re
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, unquote_plus, urlencode, urlsplit, urlunsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

DEFAULT_REDIRECT_HOSTS = frozenset({"127.0.0.1", "localhost", "testserver"})
SCOPES_SUPPORTED = ["openid", "email", "profile"]
_PKCE_VERIFIER = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")


def _b64url(data: bytes) -> str:
    """Unpadded base64url, as used by JOSE and PKCE."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def pkce_challenge(verifier: str) -> str:
    """S256 code_challenge for a code_verifier (RFC 7636); handy for tests too."""
    return _b64url(hashlib.sha256(verifier.encode("ascii")).digest())


def _single(params: dict[str, list[str]], name: str) -> str | None:
    """First value of a form/query parameter, or None."""
    values = params.get(name)
    return values[0] if values else None


def _with_query(url: str, params: dict[str, str]) -> str:
    """Append params to url, keeping any query it already has."""
    parts = urlsplit(url)
    query = parts.query + ("&" if parts.query else "") + urlencode(params)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


@dataclass(frozen=True)
class OIDCUser:
    """The identity that /authorize auto-approves."""

    sub: str
    email: str
    given_name: str = ""
    family_name: str = ""
    email_verified: bool = True
    extra_claims: dict[str, Any] = field(default_factory=dict)

    def claims(self) -> dict[str, Any]:
        """Standard claims for id_token and userinfo."""
        claims: dict[str, Any] = {
            "sub": self.sub,
            "email": self.email,
            "email_verified": self.email_verified,
            "given_name": self.given_name,
            "family_name": self.family_name,
            "name": f"{self.given_name} {self.family_name}".strip() or self.email,
        }
        claims.update(self.extra_claims)
        return claims


@dataclass
class RecordedRequest:
    """One HTTP request the provider served, for assertions in tests."""

    method: str
    path: str
    query: dict[str, list[str]]
    form: dict[str, list[str]]
    headers: dict[str, str]
    status: int = 0


@dataclass(frozen=True)
class _CodeGrant:
    client_id: str
    redirect_uri: str
    user: OIDCUser
    scope: str
    nonce: str | None
    code_challenge: str | None
    expires_at: float


@dataclass(frozen=True)
class _AccessGrant:
    client_id: str
    user: OIDCUser
    scope: str
    expires_at: float


class _OAuthError(Exception):
    """Token/userinfo error rendered as an RFC 6749 JSON error response."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.status = status


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    provider: OIDCTestProvider


class _Handler(BaseHTTPRequestHandler):
    """Routes requests to the provider; one instance per request."""

    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output clean; requests are in provider.requests instead."""

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        parts = urlsplit(self.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        form: dict[str, list[str]] = {}
        if method == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
            form = parse_qs(body, keep_blank_values=True)
        self._entry = RecordedRequest(method, parts.path, query, form, dict(self.headers.items()))
        self.server.provider._record(self._entry)
        try:
            self.server.provider._route(self, method, parts.path, query, form)
        except Exception as exc:  # keep a provider bug visible instead of hanging
            error = {"error": "server_error", "error_description": repr(exc)}
            self.send_json(error, 500)

    def send_response(self, code: int, message: str | None = None) -> None:
        """Record the status *before* the client can see the response (no race)."""
        entry = getattr(self, "_entry", None)
        if entry is not None:
            entry.status = code
        super().send_response(code, message)

    # ------------------------------------------------------------ responses
    def send_json(
        self,
        payload: dict[str, Any],
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> int:
        body = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Pragma", "no-cache")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        return status

    def send_redirect(self, location: str) -> int:
        body = f'<a href="{html.escape(location)}">Continue</a>'.encode()
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return 302

    def send_text(self, text: str, status: int) -> int:
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return status


class OIDCTestProvider:
    """OpenID provider on http://127.0.0.1:PORT for one registered client.

    redirect_uris=None accepts any http(s) redirect_uri on 127.0.0.1,
    localhost or testserver (Django's live_server / test client hosts).
    """

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        redirect_uris: list[str] | None = None,
        *,
        host: str = "127.0.0.1",
        token_ttl: int = 3600,
        code_ttl: int = 600,
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uris = list(redirect_uris) if redirect_uris is not None else None
        self.host = host
        self.token_ttl = token_ttl
        self.code_ttl = code_ttl
        self.requests: list[RecordedRequest] = []
        self.kid = uuid.uuid4().hex[:16]
        self._private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._user: OIDCUser | None = None
        self._codes: dict[str, _CodeGrant] = {}
        self._access_tokens: dict[str, _AccessGrant] = {}
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------ lifecycle
    def start(self) -> OIDCTestProvider:
        """Bind a free port and serve in a daemon thread."""
        if self._server is None:
            server = _Server((self.host, 0), _Handler)
            server.provider = self
            self._server = server
            self._thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"OIDCTestProvider:{self.port}",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            if self._thread is not None:
                self._thread.join(timeout=5)
            self._server = None
            self._thread = None

    def __enter__(self) -> OIDCTestProvider:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ----------------------------------------------------------- properties
    @property
    def port(self) -> int:
        """TCP port (valid after start())."""
        if self._server is None:
            raise RuntimeError("OIDCTestProvider is not running; use it as a context manager.")
        return int(self._server.server_address[1])

    @property
    def issuer(self) -> str:
        """Issuer URL without trailing slash, e.g. http://127.0.0.1:PORT."""
        return f"http://{self.host}:{self.port}"

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    @property
    def authorization_endpoint(self) -> str:
        return f"{self.issuer}/authorize"

    @property
    def token_endpoint(self) -> str:
        return f"{self.issuer}/token"

    @property
    def userinfo_endpoint(self) -> str:
        return f"{self.issuer}/userinfo"

    @property
    def jwks_uri(self) -> str:
        return f"{self.issuer}/jwks"

    @property
    def end_session_endpoint(self) -> str:
        return f"{self.issuer}/logout"

    @property
    def current_user(self) -> OIDCUser | None:
        """User /authorize approves, or None (then it answers login_required)."""
        return self._user

    # ------------------------------------------------------------------ API
    def login_as(
        self,
        *,
        sub: str,
        email: str,
        given_name: str = "",
        family_name: str = "",
        email_verified: bool = True,
        **extra_claims: Any,
    ) -> OIDCUser:
        """Make /authorize approve subsequent requests as this user."""
        user = OIDCUser(sub, email, given_name, family_name, email_verified, dict(extra_claims))
        self._user = user
        return user

    def logout(self) -> None:
        """Forget the user: /authorize then redirects with error=login_required."""
        self._user = None

    def public_jwk(self) -> dict[str, Any]:
        """Public signing key as a JWK (with kid, use and alg)."""
        jwk = RSAAlgorithm.to_jwk(self._private_key.public_key(), as_dict=True)
        jwk.update({"kid": self.kid, "use": "sig", "alg": "RS256"})
        return jwk

    def discovery_document(self) -> dict[str, Any]:
        """Content of /.well-known/openid-configuration."""
        return {
            "issuer": self.issuer,
            "authorization_endpoint": self.authorization_endpoint,
            "token_endpoint": self.token_endpoint,
            "userinfo_endpoint": self.userinfo_endpoint,
            "jwks_uri": self.jwks_uri,
            "end_session_endpoint": self.end_session_endpoint,
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": list(SCOPES_SUPPORTED),
            "token_endpoint_auth_methods_supported": [
                "client_secret_post",
                "client_secret_basic",
            ],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": [
                "iss",
                "sub",
                "aud",
                "exp",
                "iat",
                "auth_time",
                "nonce",
                "at_hash",
                "email",
                "email_verified",
                "given_name",
                "family_name",
                "name",
            ],
        }

    def requests_to(self, path: str) -> list[RecordedRequest]:
        """Recorded requests for one endpoint path, e.g. '/token'."""
        return [r for r in list(self.requests) if r.path == path]

    # ------------------------------------------------------------- internals
    def _record(self, record: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(record)

    def _redirect_uri_allowed(self, uri: str) -> bool:
        """Exact match with registered URIs, else a loopback/testserver http(s) URL."""
        if self.redirect_uris is not None:
            return uri in self.redirect_uris
        try:
            parts = urlsplit(uri)
        except ValueError:
            return False
        return parts.scheme in ("http", "https") and parts.hostname in DEFAULT_REDIRECT_HOSTS and not parts.fragment

    def _route(
        self,
        handler: _Handler,
        method: str,
        path: str,
        query: dict[str, list[str]],
        form: dict[str, list[str]],
    ) -> int:
        params = form if method == "POST" else query
        if path == "/.well-known/openid-configuration" and method == "GET":
            return handler.send_json(self.discovery_document())
        if path == "/jwks" and method == "GET":
            return handler.send_json({"keys": [self.public_jwk()]})
        if path == "/authorize":
            return self._authorize(handler, params)
        if path == "/token":
            if method != "POST":
                return handler.send_json(
                    {"error": "invalid_request", "error_description": "use POST"},
                    405,
                    {"Allow": "POST"},
                )
            try:
                return handler.send_json(self._token(handler, form))
            except _OAuthError as err:
                extra = {"WWW-Authenticate": 'Basic realm="oidc"'} if err.status == 401 else None
                return handler.send_json(
                    {"error": err.error, "error_description": err.description},
                    err.status,
                    extra,
                )
        if path == "/userinfo":
            try:
                return handler.send_json(self._userinfo(handler, form))
            except _OAuthError as err:
                challenge = f'Bearer error="{err.error}", error_description="{err.description}"'
                return handler.send_json(
                    {"error": err.error, "error_description": err.description},
                    err.status,
                    {"WWW-Authenticate": challenge},
                )
        if path == "/logout":
            target = _single(params, "post_logout_redirect_uri")
            self._user = None
            if target and self._redirect_uri_allowed(target):
                state = _single(params, "state")
                return handler.send_redirect(_with_query(target, {"state": state} if state else {}))
            return handler.send_text("Logged out.", 200)
        return handler.send_text(f"Not found: {method} {path}", 404)

    def _authorize(self, handler: _Handler, params: dict[str, list[str]]) -> int:
        """Validate the request and redirect back with a code (or an error)."""
        client_id = _single(params, "client_id")
        redirect_uri = _single(params, "redirect_uri")
        # Per RFC 6749 4.1.2.1: never redirect to an unverified redirect_uri.
        if client_id != self.client_id:
            return handler.send_text(f"Unknown client_id {client_id!r}.", 400)
        if not redirect_uri or not self._redirect_uri_allowed(redirect_uri):
            return handler.send_text(f"redirect_uri {redirect_uri!r} is not registered.", 400)

        state = _single(params, "state")

        def fail(error: str, description: str) -> int:
            reply = {"error": error, "error_description": description}
            if state is not None:
                reply["state"] = state
            return handler.send_redirect(_with_query(redirect_uri, reply))

        if _single(params, "response_type") != "code":
            return fail("unsupported_response_type", "only response_type=code is supported")
        scope = _single(params, "scope") or ""
        if "openid" not in scope.split():
            return fail("invalid_scope", "scope must include openid")
        challenge = _single(params, "code_challenge")
        method = _single(params, "code_challenge_method")
        if challenge is not None:
            if (method or "plain") != "S256":
                return fail("invalid_request", "only code_challenge_method=S256 is supported")
            if not re.fullmatch(r"[A-Za-z0-9\-_]{43}", challenge):
                return fail("invalid_request", "malformed code_challenge")
        elif method is not None:
            return fail("invalid_request", "code_challenge_method without code_challenge")
        user = self._user
        if user is None:
            return fail("login_required", "no test user; call OIDCTestProvider.login_as() first")

        code = secrets.token_urlsafe(32)
        grant = _CodeGrant(
            client_id=client_id,
            redirect_uri=redirect_uri,
            user=user,
            scope=scope,
            nonce=_single(params, "nonce"),
            code_challenge=challenge,
            expires_at=time.time() + self.code_ttl,
        )
        with self._lock:
            self._codes[code] = grant
        reply = {"code": code}
        if state is not None:
            reply["state"] = state
        return handler.send_redirect(_with_query(redirect_uri, reply))

    def _authenticate_client(self, handler: _Handler, form: dict[str, list[str]]) -> None:
        """client_secret_basic or client_secret_post; exactly one of them."""
        header = handler.headers.get("Authorization", "")
        body_id = _single(form, "client_id")
        body_secret = _single(form, "client_secret")
        if header[:6].lower() == "basic ":
            if body_secret is not None:
                raise _OAuthError("invalid_request", "more than one client authentication method")
            try:
                decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
                raw_id, raw_secret = decoded.split(":", 1)
            except (ValueError, UnicodeDecodeError) as exc:
                raise _OAuthError("invalid_client", "malformed Basic credentials", 401) from exc
            # RFC 6749 2.3.1: id and secret are form-urlencoded before base64.
            client_id, secret = unquote_plus(raw_id), unquote_plus(raw_secret)
            if body_id is not None and body_id != client_id:
                raise _OAuthError("invalid_request", "client_id in body differs from Basic auth")
        elif body_id is not None and body_secret is not None:
            client_id, secret = body_id, body_secret
        else:
            raise _OAuthError("invalid_client", "client authentication required", 401)
        if not (
            hmac.compare_digest(client_id.encode(), self.client_id.encode())
            and hmac.compare_digest(secret.encode(), self.client_secret.encode())
        ):
            raise _OAuthError("invalid_client", "wrong client_id or client_secret", 401)

    def _token(self, handler: _Handler, form: dict[str, list[str]]) -> dict[str, Any]:
        """Exchange a code for access and id tokens."""
        self._authenticate_client(handler, form)
        if _single(form, "grant_type") != "authorization_code":
            raise _OAuthError("unsupported_grant_type", "only authorization_code is supported")
        code = _single(form, "code") or ""
        with self._lock:
            grant = self._codes.pop(code, None)  # single use, even if the rest fails
        if grant is None:
            raise _OAuthError("invalid_grant", "unknown or already used code")
        if grant.expires_at < time.time():
            raise _OAuthError("invalid_grant", "code expired")
        if grant.client_id != self.client_id:
            raise _OAuthError("invalid_grant", "code was issued to another client")
        if _single(form, "redirect_uri") != grant.redirect_uri:
            raise _OAuthError("invalid_grant", "redirect_uri does not match the authorization request")
        verifier = _single(form, "code_verifier")
        if grant.code_challenge is not None:
            if verifier is None:
                raise _OAuthError("invalid_grant", "code_verifier required (PKCE)")
            if not _PKCE_VERIFIER.fullmatch(verifier):
                raise _OAuthError("invalid_grant", "malformed code_verifier")
            if not hmac.compare_digest(pkce_challenge(verifier), grant.code_challenge):
                raise _OAuthError("invalid_grant", "code_verifier does not match code_challenge")
        elif verifier is not None:
            raise _OAuthError("invalid_grant", "code_verifier sent but no code_challenge was")

        now = int(time.time())
        access_token = secrets.token_urlsafe(32)
        with self._lock:
            self._access_tokens[access_token] = _AccessGrant(self.client_id, grant.user, grant.scope, now + self.token_ttl)
        claims = grant.user.claims()
        claims.update(
            {
                "iss": self.issuer,
                "aud": self.client_id,
                "azp": self.client_id,
                "iat": now,
                "auth_time": now,
                "exp": now + self.token_ttl,
                "at_hash": _b64url(hashlib.sha256(access_token.encode()).digest()[:16]),
            }
        )
        if grant.nonce is not None:
            claims["nonce"] = grant.nonce
        id_token = jwt.encode(claims, self._private_key, algorithm="RS256", headers={"kid": self.kid})
        return {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": self.token_ttl,
            "id_token": id_token,
            "scope": grant.scope,
        }

    def _userinfo(self, handler: _Handler, form: dict[str, list[str]]) -> dict[str, Any]:
        """Claims for the bearer token's user."""
        header = handler.headers.get("Authorization", "")
        token = header[7:].strip() if header[:7].lower() == "bearer " else _single(form, "access_token")
        if not token:
            raise _OAuthError("invalid_token", "missing bearer token", 401)
        with self._lock:
            grant = self._access_tokens.get(token)
        if grant is None or grant.expires_at < time.time():
            raise _OAuthError("invalid_token", "unknown or expired access token", 401)
        return grant.user.claims()
