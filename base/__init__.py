"""The base under every app: what councils, agreements and followups (and the project
above them) build on, and which imports none of them. Who acts and what they may do
(``actors``, ``roles``, ``decorators``), records and their history (``records``,
``history``), addresses of rows (``reversing``, ``redirects``, ``converters``), pages
and forms (``pages``, ``forms_rendering``, ``templatetags``), mail, exports and
Markdown, the work sent to the worker (``queue``, ``jobs``), what anyone sends parsed
within bounds (``bounded``), the personal-data detector, the seal, the anonymous page
cache, throttles, the request middleware and two-step verification, and the accounts
(``accounts``: the user model and API keys, registered under the project app's label
``samverkan`` where their tables and migrations have always been)."""
