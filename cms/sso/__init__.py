"""Optional single sign-on with OpenID Connect, on allauth's socialaccount:
GOV.UK One Login for citizens and Microsoft Entra ID for civil servants.

allauth's `openid_connect` provider does the redirect, the state, the code
exchange and the account linking; what it does not do, ours adds
(provider.py, oauth.py, tokens.py):

- One Login: `private_key_jwt` at the token endpoint (oauth.py, signed in
  tokens.py), a nonce
  kept in the session and checked, the vector of trust (`vtr`) asked for and
  checked against the ID token's `vot`, only the scopes openid and email,
  the ID token's ES256 signature checked against the JWKS (allauth skips it
  for a token fetched over TLS), and the userinfo's `sub` matched to it.
- Entra ID: the issuer of the person's own tenant (one of those configured),
  and people identified by `oid` + `tid`, never by email; the email Entra
  gives is not taken as verified.
- Both: a User-Agent header on every call (adapter.py).

Configured from the environment only (cms/settings/sso.py); with nothing set
there are no apps, no buttons and the sign-in URLs answer 404."""
