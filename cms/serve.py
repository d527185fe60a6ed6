"""`python -m cms.serve`: the production ASGI server. uvicorn, in N worker
processes that each listen on a socket of their own bound with
SO_REUSEPORT, so the kernel spreads connections across the workers.

Why not `uvicorn --workers N`: its workers share one listening socket, and
the event loop of whichever worker wakes first accepts every connection
that is waiting. A page whose work is Python (the GIL gives each worker
one core) then runs on one worker while the other idles. Measured with
`bench/profile_pages.py --load 10` (2 cores, PostgreSQL, Redis): all ten
keep-alive connections went to one of two workers (CPU seconds 10.1 and
0.0) and the signed-in call page ran at 39 a second; docs/benchmarks.md
has the figures with this launcher. uvicorn has an open pull request for
this (encode/uvicorn#2472); when a release has it, this module can go.

The parent binds nothing that serves: it checks the address is free (a
probe socket in the same SO_REUSEPORT group, closed before any worker
starts), starts the workers, restarts one that dies (at most a few a
minute, then it gives up and exits, so a supervisor sees the failure),
and on SIGTERM or SIGINT passes SIGTERM to each worker, which finishes
its requests and closes its sockets as uvicorn does. Where SO_REUSEPORT
cannot balance (not Linux) or with one worker, it is plain uvicorn.

Options are the ones the Dockerfile and `make bench` use; anything else
stays uvicorn's own CLI (`make run` uses that)."""

import argparse
import logging
import multiprocessing
import os
import signal
import socket
import sys
import time

import uvicorn

logger = logging.getLogger("uvicorn.error")
RESTARTS_PER_MINUTE = 5


def parse(argv=None):
    parser = argparse.ArgumentParser(prog="python -m cms.serve", description=__doc__.split("\n\n")[0])
    parser.add_argument("app", nargs="?", default="cms.asgi:application")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY") or 1))
    parser.add_argument("--proxy-headers", action="store_true")
    parser.add_argument("--forwarded-allow-ips", default=None)
    parser.add_argument("--no-access-log", dest="access_log", action="store_false")
    parser.add_argument("--ws-per-message-deflate", choices=["true", "false"], default="true")
    parser.add_argument("--ws-max-size", type=int, default=16 * 1024 * 1024)
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    if args.port == 0 and args.workers > 1:
        parser.error("give a port: each worker binds the same one")
    return args


def uvicorn_options(args):
    return {
        "app": args.app, "host": args.host, "port": args.port, "proxy_headers": args.proxy_headers,
        "forwarded_allow_ips": args.forwarded_allow_ips, "access_log": args.access_log,
        "ws_per_message_deflate": args.ws_per_message_deflate == "true", "ws_max_size": args.ws_max_size,
        "log_level": args.log_level,
    }


def balances():
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def listen(host, port):
    """A socket bound to host:port in its SO_REUSEPORT group (not yet listening)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def worker(options):
    """One worker process: its own socket, uvicorn's server on it."""
    config = uvicorn.Config(**options)
    uvicorn.Server(config).run(sockets=[listen(config.host, config.port)])


class Supervisor:
    def __init__(self, options, workers):
        self.options = options
        self.workers = workers
        self.context = multiprocessing.get_context("spawn")
        self.processes = []
        self.restarts = []
        self.stopping = False

    def start_one(self):
        process = self.context.Process(target=worker, args=(self.options,), daemon=False)
        process.start()
        return process

    def stop(self, *_):
        self.stopping = True

    def run(self):
        listen(self.options["host"], self.options["port"]).close()  # fails now, not in N workers, if taken
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        self.processes = [self.start_one() for _ in range(self.workers)]
        logger.info("cms.serve: %d workers on %s:%d, one SO_REUSEPORT socket each",
                    self.workers, self.options["host"], self.options["port"])
        code = 0
        while not self.stopping:
            time.sleep(0.5)
            for index, process in enumerate(self.processes):
                if process.is_alive() or self.stopping:
                    continue
                now = time.monotonic()
                self.restarts = [t for t in self.restarts if now - t < 60] + [now]
                if len(self.restarts) > RESTARTS_PER_MINUTE:
                    logger.error("cms.serve: workers keep dying (exit code %s); stopping", process.exitcode)
                    self.stopping, code = True, 1
                    break
                logger.warning("cms.serve: worker %s exited with %s; starting another", process.pid,
                               process.exitcode)
                self.processes[index] = self.start_one()
        for process in self.processes:
            if process.is_alive():
                os.kill(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        for process in self.processes:
            process.join(max(0.1, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join(5)
        return code


def main(argv=None):
    args = parse(argv)
    options = uvicorn_options(args)
    if args.workers == 1 or not balances():
        uvicorn.run(**options, workers=args.workers)
        return 0
    return Supervisor(options, args.workers).run()


if __name__ == "__main__":
    sys.exit(main())
