"""Run a service as several uvicorn worker processes that share one port through SO_REUSEPORT.

    python -m appeals_common.serve ingest.main:app --host 0.0.0.0 --port 8001 --workers 2

`uvicorn --workers N` binds one listening socket in the parent and hands it to every worker;
whichever worker is awake accepts, so a burst of new keep-alive connections (a load balancer's
or a proxy's pool, a platform's callback client) can all land on one worker while the others
idle. Here every worker binds a socket of its own with SO_REUSEPORT and the kernel spreads
connections evenly across them. The parent only supervises: it restarts a worker that dies,
stops when a worker cannot start at all, and passes SIGTERM/SIGINT on for a graceful shutdown.
"""

import argparse
import logging
import multiprocessing
import signal
import socket
import sys
import threading
from multiprocessing.process import BaseProcess

import uvicorn
from uvicorn.config import STARTUP_FAILURE

log = logging.getLogger("appeals_common.serve")

SPAWN = multiprocessing.get_context("spawn")  # a fresh interpreter: nothing inherited by fork
RESTART_PAUSE = 1.0  # seconds before a dead worker is replaced, so a crash loop does not spin
STOP_GRACE = 30.0  # seconds a worker gets to drain its requests before it is killed


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound with SO_REUSEPORT, one per worker, so the kernel balances accepts."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def run_worker(app: str, host: str, port: int) -> None:
    """One worker process: its own socket, one uvicorn server with the CLI's defaults."""
    config = uvicorn.Config(app, host=host, port=port)
    try:
        config.load()  # imports the app: an error here is the same in every replacement
        sock = listening_socket(host, port)
    except (Exception, SystemExit):
        logging.getLogger("uvicorn.error").exception("worker cannot start %s on %d", app, port)
        sys.exit(STARTUP_FAILURE)
    uvicorn.Server(config).run(sockets=[sock])


class Supervisor:
    """Keeps `workers` worker processes running until told to stop."""

    def __init__(self, app: str, host: str, port: int, workers: int) -> None:
        self.target = (app, host, port)
        self.workers: list[BaseProcess] = [self._spawn() for _ in range(workers)]
        self.stopping = threading.Event()

    def _spawn(self) -> BaseProcess:
        process = SPAWN.Process(target=run_worker, args=self.target, daemon=False)
        process.start()
        return process

    def stop(self, _signum: int, _frame: object = None) -> None:
        self.stopping.set()

    def run(self) -> int:
        """Supervise until a signal or a worker that cannot start; the exit code for the parent."""
        code = 0
        while not self.stopping.wait(0.5):
            for i, process in enumerate(self.workers):
                if process.is_alive():
                    continue
                if process.exitcode == STARTUP_FAILURE:
                    # The app or the socket is broken: every replacement would fail the same way.
                    log.error("worker %s failed to start; stopping", process.pid)
                    code = STARTUP_FAILURE
                    self.stopping.set()
                    break
                log.error(
                    "worker %s exited with %s; starting another", process.pid, process.exitcode
                )
                if self.stopping.wait(RESTART_PAUSE):
                    break
                self.workers[i] = self._spawn()
        self._stop_workers()
        return code

    def _stop_workers(self) -> None:
        for process in self.workers:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes the requests in flight
        for process in self.workers:
            process.join(STOP_GRACE)
            if process.is_alive():
                process.kill()
                process.join()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("app", help="the ASGI app, as module:attribute")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    supervisor = Supervisor(args.app, args.host, args.port, args.workers)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, supervisor.stop)
    return supervisor.run()


if __name__ == "__main__":
    sys.exit(main())
