"""A small OpenID Connect provider served over real HTTP on this machine, for the tests.

It publishes a discovery document and its RSA signing key (JWKS), answers the
authorisation request with a code (as if the person had signed in to their organisation
already), and exchanges the code — checking the client's secret, the redirect address and
PKCE — for an ID token signed with a key generated for the run. Lantern's side then runs
mozilla-django-oidc's own code path against it: nothing of the protocol is mocked.

Tests choose who signs in (``claims``) and can make it misbehave as an attacker's or a
broken provider would (``token_overrides``, ``forge_signature``).
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CLIENT_ID = "lantern-test-client"
CLIENT_SECRET = "a-client-secret-for-the-tests"
KEY_ID = "test-key-1"


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Grant:
    claims: dict[str, Any]
    nonce: str
    redirect_uri: str
    code_challenge: str


@dataclass
class LocalProvider:
    key: rsa.RSAPrivateKey = field(default_factory=_new_key)
    claims: dict[str, Any] = field(default_factory=dict)
    token_overrides: dict[str, Any] = field(default_factory=dict)
    forge_signature: bool = False
    grants: dict[str, Grant] = field(default_factory=dict)
    token_requests: int = 0
    server: ThreadingHTTPServer | None = None

    @property
    def issuer(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def reset(self) -> None:
        self.claims = {}
        self.token_overrides = {}
        self.forge_signature = False
        self.grants.clear()
        self.token_requests = 0

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> dict[str, Any]:
        public = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**public, "kid": KEY_ID, "alg": "RS256", "use": "sig"}]}

    def authorise(self, query: dict[str, str]) -> str:
        """The address the provider sends the browser back to, with a code."""
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            raise ValueError("unknown client")
        code = secrets.token_urlsafe(24)
        self.grants[code] = Grant(
            claims=dict(self.claims),
            nonce=query.get("nonce", ""),
            redirect_uri=query["redirect_uri"],
            code_challenge=query.get("code_challenge", ""),
        )
        return query["redirect_uri"] + "?" + urlencode({"code": code, "state": query["state"]})

    def token(self, form: dict[str, str]) -> dict[str, Any]:
        self.token_requests += 1
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            raise PermissionError("invalid_client")
        grant = self.grants.pop(form.get("code", ""), None)  # a code works once
        if grant is None or grant.redirect_uri != form.get("redirect_uri"):
            raise PermissionError("invalid_grant")
        verifier = form.get("code_verifier", "").encode()
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=")
        if challenge.decode() != grant.code_challenge:
            raise PermissionError("invalid_grant")
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": hashlib.sha256(grant.claims.get("email", "").encode()).hexdigest()[:20],
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": grant.nonce,
            **grant.claims,
            **self.token_overrides,
        }
        key = _new_key() if self.forge_signature else self.key
        id_token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": KEY_ID})
        return {
            "access_token": secrets.token_urlsafe(24),
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        }


def _handler(provider: LocalProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _json(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {name: values[0] for name, values in parse_qs(parts.query).items()}
            if parts.path == "/.well-known/openid-configuration":
                self._json(200, provider.discovery())
            elif parts.path == "/jwks":
                self._json(200, provider.jwks())
            elif parts.path == "/authorize":
                try:
                    location = provider.authorise(query)
                except (KeyError, ValueError):
                    self._json(400, {"error": "invalid_request"})
                    return
                self.send_response(302)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self._json(404, {"error": "not_found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = {
                name: values[0]
                for name, values in parse_qs(self.rfile.read(length).decode()).items()
            }
            if urlsplit(self.path).path != "/token":
                self._json(404, {"error": "not_found"})
                return
            try:
                self._json(200, provider.token(form))
            except PermissionError as error:
                self._json(400, {"error": str(error)})

    return Handler


def start() -> LocalProvider:
    provider = LocalProvider()
    provider.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(provider))
    threading.Thread(target=provider.server.serve_forever, daemon=True).start()
    return provider


def stop(provider: LocalProvider) -> None:
    assert provider.server is not None
    provider.server.shutdown()
    provider.server.server_close()
