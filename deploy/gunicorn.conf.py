"""gunicorn settings of a province's yanzhen, behind nginx (deploy/nginx/yanzhen.conf): docs/deployment.md.

    gunicorn --config /opt/yanzhen/deploy/gunicorn.conf.py

Every figure can be changed without editing this file: YANZHEN_GUNICORN_BIND, WEB_CONCURRENCY (workers),
YANZHEN_GUNICORN_TIMEOUT. The app's own settings (YANZHEN_*) come from the environment and from
$YANZHEN_VAR_DIR/yanzhen.env as always.
"""

import ipaddress
import multiprocessing
import os

wsgi_app = "yanzhen.wsgi:application"

# Only nginx on the same machine reaches gunicorn: the app trusts X-Forwarded-Proto (YANZHEN_BEHIND_TLS_PROXY=1)
# and, below, X-Real-IP, which is safe only while nobody else can connect. Never bind 0.0.0.0.
bind = os.environ.get("YANZHEN_GUNICORN_BIND", "127.0.0.1:8000")

# Sync workers, one request each at a time: the load test of docs/benchmarks.md ran 2 of them on 2 cores
# (50 clerks, 95th percentile 0.3 s on PostgreSQL). gunicorn's rule of thumb 2 × cores + 1 unless told.
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2 + 1)))
worker_class = "sync"

# The longest request is an upload checked and imported in the request itself: a roster of 10,000 rows took
# 15.5 s (docs/benchmarks.md, "roster import … validated and imported"). 120 s leaves room on a busy server;
# nginx waits a little longer (proxy_read_timeout 130s), so gunicorn's timeout is the one that ends a stuck request.
timeout = int(os.environ.get("YANZHEN_GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30

# A worker is replaced after this many requests (with jitter, not all at once): bounds slow memory growth.
max_requests = 2000
max_requests_jitter = 200

# Load the app in the master before forking: a missing setting stops gunicorn at once with its one Chinese
# line (yanzhen.wsgi) instead of workers failing to boot one after another, and workers share memory.
preload_app = True

# Logs to stdout/stderr, so journald keeps them (journalctl -u yanzhen).
accesslog = "-"
errorlog = "-"
loglevel = "info"
# The access log: the client's address as nginx saw it ({x-real-ip}i), then gunicorn's usual fields.
access_log_format = '%({x-real-ip}i)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(L)ss "%(a)s"'

# No control socket (gunicorn ≥ 25 makes one under $HOME): systemd reloads with SIGHUP and stops with SIGTERM.
control_socket_disable = True

# Heartbeat files of the workers in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# The header nginx sets from the address it accepted the connection from (proxy_set_header X-Real-IP).
REAL_IP_HEADER = "X-REAL-IP"


def pre_request(worker, req):
    """The client's address in REMOTE_ADDR, where the audit log and the login lockout read it
    (yanzhen.core.audit.client_ip): nginx's X-Real-IP, carried the way gunicorn carries a PROXY protocol
    header (gunicorn.http.wsgi.proxy_environ). Without it every audit row would name 127.0.0.1.
    A value that is not an IP address is ignored."""
    values = [value for name, value in req.headers if name == REAL_IP_HEADER]
    if len(values) != 1:
        return
    try:
        address = ipaddress.ip_address(values[0].strip())
    except ValueError:
        return
    req.proxy_protocol_info = {
        "proxy_protocol": "X-Real-IP",
        "client_addr": str(address),
        "client_port": 0,
        "proxy_addr": "127.0.0.1",
        "proxy_port": 0,
    }
