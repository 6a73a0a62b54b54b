"""``make cluster``: the portal on many machines, shown on one (docs/deployment.md).

Two web nodes (gunicorn with production settings) at 127.0.0.1:8101 and :8102, each
with its own empty data folder and none of the other's files; one Celery worker with
beat and one for the priority queue; Redis (a ``redis-server`` of the cluster's own:
the shared cache and the broker); PostgreSQL (``DATABASE_URL``'s server, database
``<name>_cluster``, or the embedded one); the files in an S3 bucket of s3rver
(``objectstore.py``). The seal (a PKCS#12 file and its certificate chain) and the SAML
key pair are made once under ``.data/cluster/keys`` and configured, as a
real installation configures its own: the chain on every node, the key on the workers.
The demo data is prepared as ``make run`` prepares it (only what changed).

``python -m samverkan.cluster start`` starts it in the background and returns when both
nodes answer; ``stop`` stops it; ``run`` is the foreground supervisor ``start`` leaves
behind. The drill (tests/samverkan/test_cluster.py) and ``bench/cluster.py`` bring the
same set-up ``up`` on ports of their own.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from samverkan import supervise
from samverkan.cluster import objectstore
from samverkan.secret_key import installation_secret_key

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "samverkan"


@dataclass(frozen=True)
class Ports:
    web: tuple[int, ...] = (8101, 8102)
    objectstore: int = 8109
    redis: int = 8108


@dataclass
class Running:
    """What ``up`` started: the shared environment and each node's and worker's process."""

    env: dict[str, str]
    services: list[tuple[supervise.Service, subprocess.Popen[bytes]]] = field(default_factory=list)

    def process(self, name: str) -> subprocess.Popen[bytes]:
        return next(process for service, process in self.services if service.name == name)


@dataclass
class Cluster:
    """The shared configuration of every node, and what each node adds."""

    folder: Path
    ports: Ports = field(default_factory=Ports)
    database: str = "samverkan_cluster"

    @property
    def urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.ports.web]

    def database_url(self) -> str:
        configured = os.environ.get("DATABASE_URL")
        if configured:
            parts = urlsplit(configured)
            return urlunsplit(parts._replace(path=f"/{self.database}"))
        from samverkan.embedded_db import embedded_database

        db = embedded_database(ROOT / ".data", self.database)
        return f"postgres://postgres@{quote(db['HOST'], safe='')}/{db['NAME']}"

    def environment(self, database_url: str) -> dict[str, str]:
        keys = self.folder / "keys"
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("SAMVERKAN_", "CELERY_", "DJANGO_", "DATABASE_URL"))
        }
        redis = f"redis://127.0.0.1:{self.ports.redis}"
        env |= {
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": installation_secret_key(self.folder),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain HTTP on this machine only
            "DJANGO_STATIC_ROOT": str(self.folder / "static"),
            "SAMVERKAN_COOKIES_SECURE": "0",
            "SAMVERKAN_ALLOW_DEMO_ACCOUNTS": "1",  # the demo's accounts, for trying it
            "DATABASE_URL": database_url,
            "SAMVERKAN_CACHE_URL": f"{redis}/0",
            "CELERY_BROKER_URL": f"{redis}/1",
            "SAMVERKAN_SEAL_PKCS12": str(keys / "sigill.p12"),
            "SAMVERKAN_SEAL_CERTIFICATE": str(keys / "sigill-kedja.pem"),
            "SAMVERKAN_SAML_KEY_FILE": str(keys / "saml.key"),
            "SAMVERKAN_SAML_CERT_FILE": str(keys / "saml.crt"),
            "SAMVERKAN_DATA_DIR": str(self.folder / "admin"),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.folder / "mail"),
        }
        store = objectstore.ObjectStore(f"http://127.0.0.1:{self.ports.objectstore}", (BUCKET,))
        return env | store.environment(BUCKET)

    def node_environment(self, env: dict[str, str], name: str) -> dict[str, str]:
        """A node's own folder: empty at first, never another node's (only what it
        keeps for itself, such as a demo CRL, could land there). A web node verifies the
        seal with its certificates; only the workers, which seal, get its key."""
        own = self.folder / name
        own.mkdir(parents=True, exist_ok=True)
        env = env | {"SAMVERKAN_DATA_DIR": str(own), "SAMVERKAN_MEDIA_ROOT": str(own / "media")}
        if name.startswith("web"):
            env = {key: value for key, value in env.items() if key != "SAMVERKAN_SEAL_PKCS12"}
        return env

    def services(self, env: dict[str, str]) -> list[tuple[supervise.Service, dict[str, str]]]:
        python = sys.executable
        found: list[tuple[supervise.Service, dict[str, str]]] = []
        for number, port in enumerate(self.ports.web, start=1):
            name = f"web-{number}"
            gunicorn = [python, "-m", "gunicorn", "samverkan.wsgi", "--bind", f"127.0.0.1:{port}",
                        "--workers", "2", "--log-level", "warning"]  # fmt: skip
            found.append((supervise.Service(name, gunicorn), self.node_environment(env, name)))
        worker_env = self.node_environment(env, "worker")
        schedule = self.folder / "worker" / "celerybeat-schedule"
        found.append((supervise.worker(schedule=schedule, concurrency=2), worker_env))
        found.append((supervise.priority_worker(), worker_env))
        return found


def make_keys(folder: Path) -> None:
    """The cluster's seal (from a demo CA made once: a PKCS#12 file and its chain) and
    SAML key pair, as an installation configures its own; every node reads the same."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    from base.seal.demo import make_demo_ca
    from identity.saml import make_key_pair

    if (folder / "sigill.p12").exists() and (folder / "saml.crt").exists():
        return
    ca_folder = folder / "ca"
    make_demo_ca(ca_folder)

    def read(name: str) -> bytes:
        return (ca_folder / name).read_bytes()

    key = serialization.load_pem_private_key(read("seal-key.pem"), password=None)
    certificate = x509.load_pem_x509_certificate(read("seal.pem"))
    ca = x509.load_pem_x509_certificate(read("ca.pem"))
    (folder / "sigill.p12").write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"sigill",
            key,  # type: ignore[arg-type]
            certificate,
            [ca],
            serialization.NoEncryption(),
        )
    )
    (folder / "sigill-kedja.pem").write_bytes(read("seal.pem") + read("ca.pem"))
    make_key_pair(folder / "saml.key", folder / "saml.crt", "Samverkansportalen (kluster)")


def _database(url: str, *, fresh: bool = False) -> None:
    """Create the cluster's database when it is missing (``fresh``: anew)."""
    import psycopg
    from psycopg import sql

    if fresh:
        drop_database(url)
    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url: str) -> None:
    """Drop a database the drill or the bench made (its sessions closed first)."""
    import psycopg
    from psycopg import sql

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        conn.execute(drop.format(sql.Identifier(name)))


def _manage(env: dict[str, str], *arguments: str) -> None:
    subprocess.run(  # noqa: S603 - our own management commands
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True
    )


def redis_server(cluster: Cluster) -> subprocess.Popen[bytes]:
    program = shutil.which("redis-server")
    if program is None:
        raise SystemExit("redis-server is needed (Debian: apt-get install redis-server)")
    folder = cluster.folder / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(  # noqa: S603
        [program, "--bind", "127.0.0.1", "--port", str(cluster.ports.redis), "--save", "",
         "--appendonly", "no", "--dir", str(folder), "--logfile", str(folder / "redis.log")],
        start_new_session=True,
    )  # fmt: skip


def wait_for(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own node
                return
        except urllib.error.HTTPError:  # it answers (healthz says 503 until the worker does)
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


def prepare(cluster: Cluster, env: dict[str, str], *, fresh: bool = False) -> None:
    """The keys (once), the database (``fresh``: anew), the migrations and the demo as
    ``make run`` prepares them (only what changed), the static files."""
    make_keys(cluster.folder / "keys")
    _database(env["DATABASE_URL"], fresh=fresh)
    _manage(env, "prepare_run", "--with-accounts")
    _manage(env, "collectstatic", "--noinput", "--verbosity", "0")


@contextlib.contextmanager
def up(cluster: Cluster, *, fresh: bool = False) -> Iterator[Running]:
    """The whole set-up, for as long as the block runs: the object store and Redis
    first, then the prepared database, then the nodes and the workers (back once both
    nodes answer); everything stopped after, whatever ended the block."""
    cluster.folder.mkdir(parents=True, exist_ok=True)
    store, _found = objectstore.start(
        cluster.folder / "objects",
        port=cluster.ports.objectstore,
        buckets=(BUCKET,),
        log=cluster.folder / "objectstore.log",
    )
    redis = redis_server(cluster)
    running = Running(env=cluster.environment(cluster.database_url()))
    try:
        prepare(cluster, running.env, fresh=fresh)
        for service, own in cluster.services(running.env):
            running.services.append(
                (
                    service,
                    subprocess.Popen(  # noqa: S603 - the portal's own commands
                        list(service.command), cwd=ROOT, env=own, start_new_session=True
                    ),
                )
            )
        for url in cluster.urls:
            wait_for(f"{url}/healthz")
        yield running
    finally:
        supervise.stop(running.services)
        for process in (redis, store):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def run(cluster: Cluster) -> int:
    """The cluster in the foreground until a stop signal. A node that ends leaves the
    others serving, as behind a load balancer; it is reported."""
    stopping: list[int] = []
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda number, _frame: stopping.append(number))
    try:
        with up(cluster) as running:
            print("Samverkansportalen, two nodes: " + "  ".join(cluster.urls), flush=True)
            (cluster.folder / "ready").write_text(str(os.getpid()))
            reported: set[str] = set()
            while not stopping:
                for service, process in running.services:
                    if process.poll() is not None and service.name not in reported:
                        reported.add(service.name)
                        print(f"{service.name} ended (exit code {process.returncode})", flush=True)
                time.sleep(0.3)
    finally:
        (cluster.folder / "ready").unlink(missing_ok=True)
    return 0


def start(cluster: Cluster) -> None:
    """Start ``run`` in the background, detached; return once both nodes answer."""
    cluster.folder.mkdir(parents=True, exist_ok=True)
    log = (cluster.folder / "cluster.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "samverkan.cluster", "run"],
        cwd=ROOT,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    (cluster.folder / "pid").write_text(str(process.pid))
    deadline = time.monotonic() + 900
    while not (cluster.folder / "ready").exists():
        if process.poll() is not None:
            raise SystemExit(f"the cluster did not start: see {cluster.folder / 'cluster.log'}")
        if time.monotonic() > deadline:
            raise SystemExit("the cluster did not start within 15 minutes")
        time.sleep(0.5)
    print("Samverkansportalen, two nodes: " + "  ".join(cluster.urls))
    print("make cluster-stop stops them.")


def stop(cluster: Cluster) -> None:
    pid_file = cluster.folder / "pid"
    if not pid_file.exists():
        print("No cluster is running.")
        return
    pid = int(pid_file.read_text())
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.3)
    pid_file.unlink(missing_ok=True)
    print("The cluster is stopped.")
