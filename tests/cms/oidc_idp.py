"""A stand-in OpenID Connect identity provider for the single sign-on tests:
a real HTTP server on a thread, with real keys, that behaves like GOV.UK One
Login (ES256 ID tokens, private_key_jwt clients, vtr/vot, userinfo) or
Microsoft Entra ID (tenant issuers, RS256, client secrets, oid/tid).

It checks what a real provider checks of the client (the assertion's
signature with the client's registered public key, iss/sub/aud/exp/jti, the
redirect URI, the code) and records every request, so tests can assert the
User-Agent and the parameters sent. `tamper` makes it misbehave the way a
test wants (a wrong nonce, a wrong vot, another signing key, ...)."""

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa


def new_ec_key():
    return ec.generate_private_key(ec.SECP256R1())


def pem(private_key):
    return private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def public_jwk(private_key, kid, alg):
    algorithm = jwt.get_algorithm_by_name(alg)
    jwk = json.loads(algorithm.to_jwk(private_key.public_key()))
    return {**jwk, "kid": kid, "use": "sig", "alg": alg}


class IdentityProvider:
    def __init__(self, kind="one_login", client_id="mc-client", client_public_key=None, client_secret=None,
                 tenants=("tenant-a",)):
        self.kind = kind
        self.client_id = client_id
        self.client_public_key = client_public_key
        self.client_secret = client_secret
        self.tenants = list(tenants)
        if kind == "one_login":
            self.key, self.alg = new_ec_key(), "ES256"
        else:
            self.key, self.alg = rsa.generate_private_key(public_exponent=65537, key_size=2048), "RS256"
        self.kid = "idp-key-1"
        self.person = {}
        self.tamper = {}
        self.granted_scope = None
        self.requests = []  # (method, path, headers, params)
        self.codes = {}
        self.used_jtis = set()
        self.token_errors = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    # --- lifecycle -------------------------------------------------------------
    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    # --- what the provider publishes ---------------------------------------------
    def issuer(self, tenant=None):
        if self.kind == "one_login":
            return f"{self.base}/"
        return f"{self.base}/{tenant}/v2.0"

    def discovery(self, tenant=None):
        prefix = self.base if self.kind == "one_login" else f"{self.base}/{tenant}/v2.0"
        issuer = self.issuer("{tenantid}" if tenant == "organizations" else tenant)
        return {
            "issuer": issuer,
            "authorization_endpoint": f"{prefix}/authorize",
            "token_endpoint": f"{prefix}/token",
            "userinfo_endpoint": f"{prefix}/userinfo",
            "jwks_uri": f"{self.base}/jwks",
            "id_token_signing_alg_values_supported": [self.alg],
            "token_endpoint_auth_methods_supported": ["private_key_jwt"] if self.kind == "one_login"
            else ["client_secret_post"],
            "scopes_supported": ["openid", "email", "phone"] if self.kind == "one_login" else ["openid", "email", "profile"],
        }

    def jwks(self):
        return {"keys": [public_jwk(self.key, self.kid, self.alg)]}

    # --- the flow ---------------------------------------------------------------
    def authorize(self, params, tenant=None):
        """What a person's browser gets at /authorize: a redirect back with a code."""
        code = uuid.uuid4().hex
        self.codes[code] = {**params, "tenant": tenant}
        query = {"code": code, "state": params.get("state", "")}
        return f"{params['redirect_uri']}?{urlencode(query)}"

    def _check_client(self, form, token_url):
        if self.kind == "one_login":
            if form.get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer":
                return "client_assertion_type missing"
            if "client_secret" in form:
                return "a client secret was sent"
            try:
                claims = jwt.decode(form.get("client_assertion", ""), self.client_public_key,
                                    algorithms=["ES256", "RS256"], audience=token_url,
                                    options={"require": ["iss", "sub", "aud", "exp", "jti"]})
            except jwt.PyJWTError as exc:
                return f"bad client assertion: {exc}"
            if claims["iss"] != self.client_id or claims["sub"] != self.client_id:
                return "assertion iss/sub is not the client id"
            if claims["exp"] - time.time() > 300 + 5:
                return "assertion lives too long"
            if claims["jti"] in self.used_jtis:
                return "assertion jti reused"
            self.used_jtis.add(claims["jti"])
            return None
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return "bad client credentials"
        return None

    def token(self, form, token_url):
        error = self._check_client(form, token_url)
        grant = self.codes.pop(form.get("code", ""), None)
        if error is None and grant is None:
            error = "unknown or reused code"
        if error is None and grant["redirect_uri"] != form.get("redirect_uri"):
            error = "redirect_uri differs"
        if error:
            self.token_errors.append(error)
            return 400, {"error": "invalid_client" if "assertion" in error or "client" in error else "invalid_grant",
                         "error_description": error}
        now = int(time.time())
        tenant = grant.get("tenant")
        person = dict(self.person)
        claims = {
            "iss": self.issuer(person.get("tid", tenant)),
            "aud": self.client_id,
            "sub": person.get("sub", "urn:fdc:gov.uk:2022:person-1"),
            "iat": now,
            "exp": now + 180,
            "nonce": grant.get("nonce"),
            "jti": uuid.uuid4().hex,
        }
        if self.kind == "one_login":
            claims["vot"] = json.loads(grant.get("vtr", '["Cl.Cm"]'))[0]
            claims["sid"] = uuid.uuid4().hex
        else:
            claims.update({k: person[k] for k in ("oid", "tid", "email", "name", "preferred_username") if k in person})
        overrides = dict(self.tamper.get("claims", {}))
        claims.update(overrides)
        claims = {k: v for k, v in claims.items() if v is not None}
        key = self.tamper.get("signing_key", self.key)
        id_token = jwt.encode(claims, key, algorithm=self.tamper.get("alg", self.alg), headers={"kid": self.kid})
        access_token = uuid.uuid4().hex
        self.codes[f"access:{access_token}"] = claims["sub"]
        answer = {"access_token": access_token, "token_type": "Bearer", "expires_in": 180, "id_token": id_token}
        if self.granted_scope is not None:
            answer["scope"] = self.granted_scope
        return 200, answer

    def userinfo(self, authorization):
        token = authorization.removeprefix("Bearer ").strip()
        sub = self.codes.get(f"access:{token}")
        if sub is None:
            return 401, {"error": "invalid_token"}
        info = {"sub": self.tamper.get("userinfo_sub", sub), "email": self.person.get("email"),
                "email_verified": self.person.get("email_verified", True)}
        return 200, info

    # --- HTTP -------------------------------------------------------------------
    def _handler(self):
        idp = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status, body=None, location=None):
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                payload = json.dumps(body).encode() if body is not None else b""
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _route(self, method):
                url = urlparse(self.path)
                params = {k: v[0] for k, v in parse_qs(url.query).items()}
                form = {}
                if method == "POST":
                    length = int(self.headers.get("Content-Length") or 0)
                    form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                idp.requests.append((method, url.path, dict(self.headers), {**params, **form}))
                path, tenant = url.path, None
                if idp.kind == "entra" and path.count("/") >= 3 and "/v2.0" in path:
                    tenant, _, path = path.lstrip("/").partition("/v2.0")
                if path.endswith("/.well-known/openid-configuration"):
                    return self._send(200, idp.discovery(tenant))
                if path == "/jwks":
                    return self._send(200, idp.jwks())
                if path == "/authorize" and method == "GET":
                    return self._send(302, location=idp.authorize(params, tenant))
                if path == "/token" and method == "POST":
                    return self._send(*idp.token(form, f"{idp.base}{url.path}"))
                if path == "/userinfo":
                    return self._send(*idp.userinfo(self.headers.get("Authorization", "")))
                return self._send(404, {"error": "not_found"})

            def do_GET(self):
                self._route("GET")

            def do_POST(self):
                self._route("POST")

        return Handler
