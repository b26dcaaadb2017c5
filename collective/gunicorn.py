"""gunicorn's configuration for the site, read from the environment (or `.env`).

    gunicorn -c collective/gunicorn.py collective.wsgi

Every setting can be changed with an environment variable (default in brackets):

    GUNICORN_BIND                 address(es), comma-separated; unix:/path works too
                                  [127.0.0.1:8000]
    GUNICORN_WORKERS              worker processes [2 x CPUs + 1, at most 12]
    GUNICORN_THREADS              threads per worker; above 1 the worker class is gthread [1]
    GUNICORN_TIMEOUT              seconds before a busy worker is killed and replaced [30]
    GUNICORN_GRACEFUL_TIMEOUT     seconds to finish running requests on restart/stop [30]
    GUNICORN_KEEPALIVE            seconds an idle keep-alive connection stays open [5]
    GUNICORN_FORWARDED_ALLOW_IPS  proxies whose X-Forwarded-* headers are trusted (by Django too)
                                  [127.0.0.1,::1]
    GUNICORN_MAX_REQUESTS         requests after which a worker is replaced; 0: never [10000]
    GUNICORN_MAX_REQUESTS_JITTER  random extra requests, so workers differ [1000]
    GUNICORN_PRELOAD              load Django in the master before forking [true]
    GUNICORN_ACCESS_LOG           access log file, "-" for stdout, empty for none [-]
    GUNICORN_LOG_LEVEL            level of gunicorn's own log on stderr [info]
"""

import gc
import os
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# The same file the Django settings read (`.env`, or DJANGO_ENV_FILE); variables already in
# the environment win.
_env_file = env.str("DJANGO_ENV_FILE", default=str(BASE_DIR / ".env"))
if _env_file:
    environ.Env.read_env(_env_file)


def available_cpus():
    """CPUs this process may really use: its CPU affinity, lowered by a cgroup (v2) CPU quota.

    os.cpu_count() reports the host's CPUs, which inside a container limited to one or two CPUs
    would start dozens of workers that only compete for the same CPU and use memory.
    """
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()
        if quota != "max":
            cpus = min(cpus, max(1, -(-int(quota) // int(period))))
    except (OSError, ValueError):
        pass
    return cpus


# Loopback by default: the app server sits behind nginx or a load balancer on the same host or
# network and is never the public face of the site. Set e.g. 0.0.0.0:8000 (or a private address)
# when the proxy runs on another machine, and keep that port closed to the internet.
bind = [address.strip() for address in env.str("GUNICORN_BIND", "127.0.0.1:8000").split(",")]

# The usual rule for mostly-CPU work with some waiting on the database: 2 per CPU plus one.
# Capped, because every worker holds its own copy of Django (about 60-100 MB) and, with
# persistent connections, a database connection; past a dozen workers, more app servers scale
# better than more workers.
workers = env.int("GUNICORN_WORKERS", default=min(2 * available_cpus() + 1, 12))

# Sync workers (threads = 1) are the simplest and fastest for short requests, but one slow
# client occupies a worker for the whole response: they need a buffering proxy in front (nginx
# does that by default). Behind a load balancer that does not buffer, use a few threads.
threads = env.int("GUNICORN_THREADS", default=1)
worker_class = "gthread" if threads > 1 else "sync"

# A page of this site renders in milliseconds; a request still busy after 30 s is stuck (a
# database lock, a dead network peer), and killing it frees the worker.
timeout = env.int("GUNICORN_TIMEOUT", default=30)
# On a deploy or stop (SIGTERM/SIGHUP), running requests get this long to finish.
graceful_timeout = env.int("GUNICORN_GRACEFUL_TIMEOUT", default=30)
# Only used by gthread workers. Behind a load balancer that reuses connections it must be longer
# than the balancer's idle timeout, or the balancer sends requests into closing connections (502).
keepalive = env.int("GUNICORN_KEEPALIVE", default=5)

# gunicorn sets the request scheme from X-Forwarded-Proto (and friends) only for connections
# from these addresses. The default suits a proxy on the same host. Behind a load balancer on
# another machine list its addresses, or "*" if the app port is reachable only from it.
# Django itself reads X-Forwarded-Proto through SECURE_PROXY_SSL_HEADER (DJANGO_HTTPS), so the
# proxy must always overwrite that header, never pass on what a client sent.
forwarded_allow_ips = env.str("GUNICORN_FORWARDED_ALLOW_IPS", default="127.0.0.1,::1")

# Replacing each worker after many requests bounds the effect of a slow memory leak (in our
# code or a library). Not too often: a new worker starts with an empty local-memory page cache
# (when REDIS_URL is unset) and renders every page again; 10 000 is hours of normal traffic, and
# still several seconds under a benchmark's full load. The jitter spreads the restarts, so
# the workers are never all replaced at the same moment.
max_requests = env.int("GUNICORN_MAX_REQUESTS", default=10000)
max_requests_jitter = env.int("GUNICORN_MAX_REQUESTS_JITTER", default=1000)

# Loading Django once in the master makes workers share its memory (copy-on-write), makes the
# restarts above cheap, and stops gunicorn at once on a configuration error instead of
# restarting failing workers. The price: `kill -HUP` does not load new code, so deploy with a
# full restart (systemctl restart). Django opens database connections only per request, so
# none is shared between the forked workers.
preload_app = env.bool("GUNICORN_PRELOAD", default=True)


# What a worker inherits from the master stays shared only while nobody writes to it, and
# Python's garbage collector writes into every object it examines. gc.freeze() before the fork
# hides what exists then from the collector (Python's documentation recommends it for servers
# that fork). Measured with two workers after serving pages: 24 instead of 34 MB of private
# memory each. Without preload, freezing after the worker has loaded Django still spares every
# collection a walk through all of Django's objects.
def pre_fork(server, worker):
    gc.freeze()


def post_worker_init(worker):
    gc.freeze()


# Logs go to stdout/stderr, for systemd's journal or the container runtime to collect.
# The access log adds the client address the proxy saw (X-Forwarded-For) and the time in ms.
accesslog = env.str("GUNICORN_ACCESS_LOG", default="-") or None
access_log_format = (
    '%(h)s "%({x-forwarded-for}i)s" %(t)s "%(r)s" %(s)s %(B)s %(M)sms "%(f)s" "%(a)s"'
)
errorlog = "-"
loglevel = env.str("GUNICORN_LOG_LEVEL", default="info")

# The worker heartbeat file: on tmpfs where there is one, because in a container /tmp can be an
# overlay file system on which the heartbeat's writes block, and workers get killed as stuck.
if Path("/dev/shm").is_dir():
    worker_tmp_dir = "/dev/shm"

proc_name = "kinderrechtencollectief"
