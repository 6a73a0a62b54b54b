"""The organisation seal: a PAdES signature on every PDF the portal issues as final
(the justerat protocol, each protokollsutdrag, a formal body's kallelse, the
fastställd verksamhetsberättelse), and the check of such a PDF on /verifiera/.

Where the key lives is configured by the environment (``docs/deployment.md``):

- ``SAMVERKAN_SEAL_PKCS12`` (+ ``SAMVERKAN_SEAL_PKCS12_PASSWORD``): a PKCS#12 file
  with the seal's key, its certificate and the chain;
- ``SAMVERKAN_SEAL_PKCS11_MODULE`` (+ ``_TOKEN``, ``_PIN``, ``_KEY``, and
  ``SAMVERKAN_SEAL_CERTIFICATE`` when the certificate is not on the token): a
  hardware security module through PKCS#11;
- neither: a demonstration CA, a seal certificate and a timestamp unit made on the
  first start under ``DATA_DIR/seal/``, announced as a demo seal wherever the seal
  is shown.

``SAMVERKAN_SEAL_REVOCATION_MODE`` is pyHanko's revocation policy for a configured
key (default ``hard-fail``: no seal without fresh revocation data).
``SAMVERKAN_SEAL_TRUST_ROOTS`` names the roots a signature must chain to (default:
the top of the seal's own chain); ``SAMVERKAN_SEAL_TSA_URL`` an RFC 3161 timestamp
authority, which makes the seal PAdES B-LTA (a document timestamp over the
validation data). Every seal embeds the chain and the revocation data (B-LT), so it
validates years later without asking anyone.

The package in four parts: ``material`` (what a seal is made of: the certificates a
verifier needs, and the key that signs), ``keys`` (reading them from the configuration:
``certificates()`` for anyone who verifies, ``seal_key()`` for the worker that signs),
``demo`` (the demonstration CA) and the two acts, ``sign`` and ``verify``. Verifying
needs the certificates only: a web node with ``SAMVERKAN_SEAL_CERTIFICATE`` (the
chain, PEM) never touches the private key.

The personal signatures of the future (BankID, Freja through a signing service that
receives only a hash) are a different signer of the same ``seal_pdf`` step; see
``docs/architecture.md``."""
