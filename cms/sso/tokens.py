"""Checking an identity provider's ID token, and making our client
assertion for `private_key_jwt`. No I/O here: the JWKS is passed in."""

import hmac
import time
import uuid

import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from .errors import SignInRefused

ASSERTION_LIFETIME = 300  # seconds; One Login accepts at most five minutes
LEEWAY = 60  # seconds of clock difference allowed on exp/iat/nbf


def load_private_key(pem):
    if not isinstance(pem, (str, bytes)):
        return pem
    return load_pem_private_key(pem.encode() if isinstance(pem, str) else pem, password=None)


def client_assertion(*, client_id, token_url, private_key, key_id=None, now=None):
    """A signed JWT proving we hold the private key registered for
    `client_id` (RFC 7523, OIDC Core 9): iss and sub are the client id, aud
    the token endpoint, a fresh jti, and a short expiry. ES256 for an EC key,
    RS256 for an RSA one."""
    now = int(now or time.time())
    key = load_private_key(private_key)
    algorithm = "ES256" if isinstance(key, ec.EllipticCurvePrivateKey) else "RS256"
    claims = {
        "iss": client_id,
        "sub": client_id,
        "aud": token_url,
        "jti": str(uuid.uuid4()),
        "iat": now,
        "exp": now + ASSERTION_LIFETIME,
    }
    headers = {"kid": key_id} if key_id else None
    return jwt.encode(claims, key, algorithm=algorithm, headers=headers)


def signing_key(jwks, header, algorithms, name):
    alg = header.get("alg")
    if alg not in algorithms:
        raise SignInRefused(
            f"{name} sent an ID token signed with {alg or 'no algorithm'}, not {' or '.join(algorithms)}, "
            "so it was not accepted. Nothing was saved."
        )
    keys = [k for k in (jwks or {}).get("keys", []) if k.get("use", "sig") == "sig"]
    kid = header.get("kid")
    matching = [k for k in keys if k.get("kid") == kid] if kid else keys[:1] if len(keys) == 1 else []
    if not matching:
        raise SignInRefused(f"{name} sent an ID token signed with a key it does not publish. Nothing was saved.")
    try:
        return jwt.PyJWK(matching[0], algorithm=alg).key
    except jwt.PyJWTError:
        raise SignInRefused(f"{name} publishes a signing key we cannot use. Nothing was saved.") from None


def verify_id_token(id_token, *, jwks, algorithms, issuer, audience, nonce, name):
    """The ID token's claims, once its signature, issuer, audience, times and
    nonce are right; SignInRefused, saying which, otherwise."""
    try:
        header = jwt.get_unverified_header(id_token)
    except jwt.PyJWTError:
        raise SignInRefused(f"{name} sent an ID token that could not be read. Nothing was saved.") from None
    key = signing_key(jwks, header, algorithms, name)
    try:
        claims = jwt.decode(
            id_token,
            key,
            algorithms=algorithms,
            audience=audience,
            issuer=issuer,
            leeway=LEEWAY,
            options={"require": ["iss", "aud", "exp", "iat", "sub"]},
        )
    except jwt.InvalidSignatureError:
        raise SignInRefused(f"The ID token's signature is not {name}'s. Nothing was saved.") from None
    except jwt.InvalidAudienceError:
        raise SignInRefused(f"The ID token from {name} was meant for another service, not this one. Nothing was saved.") from None
    except jwt.InvalidIssuerError:
        raise SignInRefused(f"The ID token was not issued by {name} as configured here. Nothing was saved.") from None
    except jwt.ExpiredSignatureError:
        raise SignInRefused(f"The ID token from {name} has expired. Please try signing in again.") from None
    except jwt.PyJWTError as exc:
        raise SignInRefused(f"The ID token from {name} could not be checked ({exc}). Nothing was saved.") from None
    if not nonce or not hmac.compare_digest(str(claims.get("nonce", "")), nonce):
        raise SignInRefused(
            f"The answer from {name} does not belong to the sign-in started here (its nonce differs). "
            "Nothing was saved. Please try signing in again."
        )
    return claims
