"""gunicorn's settings for the example (``python3 dev.py serve``; docs/deployment.md).

Threaded workers (gthread), one per core and ``WEB_THREADS`` threads each: a request waiting on the database
leaves the core to another thread. Each worker's database pool holds as many connections as it has threads,
so the server uses at most ``workers x threads`` connections. Put a buffering proxy (nginx) in front: a
slow client then ties up the proxy, not a worker thread.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count())
threads = int(os.environ.get("WEB_THREADS") or 4)
worker_class = "gthread"
timeout = 30  # a worker stuck longer than this is killed and replaced
graceful_timeout = 30
keepalive = 5
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None  # "-" for stdout
errorlog = "-"
# X-Forwarded-* headers are trusted from these addresses only (the proxy's).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# gunicorn 24+ opens a control socket in the home folder, shared by every gunicorn of the user: not needed.
control_socket_disable = True
