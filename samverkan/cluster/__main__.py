"""``python -m samverkan.cluster start|stop|run`` (``make cluster``, ``make cluster-stop``)."""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")

from samverkan.cluster import ROOT, Cluster, run, start, stop

cluster = Cluster(ROOT / ".data" / "cluster")
command = sys.argv[1] if len(sys.argv) > 1 else "start"
if command == "run":
    sys.exit(run(cluster))
elif command == "start":
    start(cluster)
elif command == "stop":
    stop(cluster)
else:
    sys.exit("usage: python -m samverkan.cluster start|stop|run")
