"""Sign-in: the portal's own (password and two-step code) and through the organisations'
identity providers (OpenID Connect and SAML), with the account pages."""
