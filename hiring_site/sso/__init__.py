"""Single sign-on through an OpenID Connect provider (mozilla-django-oidc).

- `config.py`: the provider's settings, read strictly from the environment (pure).
- `provider.py`: the provider's discovery document, fetched when first needed and kept
  for an hour; the URL that ends the provider's session.
- `backend.py`: the authentication backend: verifies the ID token (signature, issuer,
  audience, expiry, nonce), finds or creates the person (by the provider's subject, else
  by verified email), applies the groups the claim maps to, refuses with a reason.
- `views.py`: the login page (password form and/or "Sign in with <name>"), the start of
  a sign-in, the provider's callback, and signing out.
"""
