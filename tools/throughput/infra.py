"""The benchmark's ground: the dev profile's Kafka and PostgreSQL, a database of its own, the
services as processes of their own (fresh consumer groups at the topics' ends), and the CPU
time each process tree has used."""

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx
import psutil
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from appeals_common import testing
from appeals_common.topics import TOPICS

ROOT = Path(__file__).resolve().parents[2]
STATE = ROOT / ".stack" / "dev"
KAFKA = "127.0.0.1:19092"
PG = "127.0.0.1:55432"
DATABASE = "appeals_bench"
DATABASE_URL = f"postgresql+asyncpg://appeals@{PG}/{DATABASE}"
IDP = "http://127.0.0.1:8005"
PORTS = {"ingest": 18201, "classifier": 18202, "router": 18203, "sla-monitor": 18204}
GROUPS = {"classifier": "classifier", "router": "router", "sla-monitor": "sla-monitor"}


def stack(*args: str, env: dict[str, str] | None = None) -> None:
    command = [sys.executable, str(ROOT / "deploy/local/stack.py"), *args, "--profile", "dev"]
    subprocess.run(command, check=True, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)


async def fresh_database() -> None:
    """The dev profile's Kafka and PostgreSQL up, and a new database with every service's
    migrations and the demo region's seed (directory, pages, policies)."""
    stack("infra-up")
    # The profile's cluster trusts its superuser on loopback (deploy/local/stacklib/postgres.py).
    admin = await asyncpg.connect(f"postgresql://postgres@{PG}/postgres")
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        await admin.execute(f"CREATE DATABASE {DATABASE} OWNER appeals")
    finally:
        await admin.close()
    stack("infra-up", env={**os.environ, "DATABASE_URL": DATABASE_URL})


async def skip_history(group: str) -> None:
    """Start a new consumer group at the topics' ends: not the past runs' records."""
    await testing.skip_history(KAFKA, group, [t.name for t in TOPICS])


class LagProbe:
    """What a group has not committed of a topic yet, asked as often as needed."""

    def __init__(self, group: str, topic: str) -> None:
        self.group, self.topic = group, topic
        self._admin = AIOKafkaAdminClient(bootstrap_servers=KAFKA)
        self._consumer = AIOKafkaConsumer(bootstrap_servers=KAFKA, enable_auto_commit=False)

    async def __aenter__(self) -> "LagProbe":
        await self._admin.start()
        await self._consumer.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self._consumer.stop()
        await self._admin.close()

    async def lag(self) -> int:
        committed = await self._admin.list_consumer_group_offsets(self.group)
        [spec] = [t for t in TOPICS if t.name == self.topic]
        tps = [TopicPartition(self.topic, p) for p in range(spec.partitions)]
        ends = await self._consumer.end_offsets(tps)
        return sum(ends[tp] - (committed[tp].offset if tp in committed else 0) for tp in tps)


@dataclass
class Services:
    """Service processes of one benchmark run, in consumer groups of their own."""

    python: str = sys.executable  # another checkout's interpreter measures its code
    cwd: Path = ROOT
    suffix: str = field(default_factory=lambda: f"-bench-{uuid.uuid4().hex[:6]}")
    running: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def env(self) -> dict[str, str]:
        return {
            **os.environ, "DATABASE_URL": DATABASE_URL, "KAFKA_BOOTSTRAP_SERVERS": KAFKA,
            "KAFKA_GROUP_SUFFIX": self.suffix, "OIDC_ISSUER": IDP, "LOG_LEVEL": "WARNING",
            "INGEST_PAGE_RATE_PER_SECOND": "1000000", "INGEST_PAGE_BURST": "1000000",
            "ROUTER_SLA_URL": f"http://127.0.0.1:{PORTS['sla-monitor']}",
        }  # fmt: skip

    async def start(self, *services: str) -> None:
        """Start the services, their groups at the topics' ends; wait until they are ready."""
        for service in services:
            if service in GROUPS:
                await skip_history(GROUPS[service] + self.suffix)
            self.spawn(service)
        for service in services:
            await wait_ready(f"http://127.0.0.1:{PORTS[service]}/health/ready")

    def spawn(self, service: str) -> None:
        """Start the service and return at once (its group where the caller put it)."""
        self.running[service] = self._process(service)

    def _process(self, service: str) -> subprocess.Popen[bytes]:
        app = f"{service.replace('-', '_')}.main:app"
        where = ["--host", "127.0.0.1", "--port", str(PORTS[service])]
        env = self.env()
        if service == "ingest":  # as the stack runs it: a process per core
            metrics_dir = tempfile.mkdtemp(prefix="bench-ingest-metrics-")
            env["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
            command = [self.python, "-m", "appeals_common.serve", app, *where, "--workers", "2"]
        else:
            command = [self.python, "-m", "uvicorn", app, *where]
        return subprocess.Popen(command, env=env, cwd=self.cwd)

    def cpu(self) -> dict[str, float]:
        """CPU seconds used so far by each service's process tree, Kafka and PostgreSQL."""
        used = {name: tree_cpu(p.pid) for name, p in self.running.items()}
        kafka = tree_cpu(_pid(STATE / "pids" / "kafka.pid"))
        return used | {"kafka": kafka, "postgres": tree_cpu(_pid(STATE / "pg/data/postmaster.pid"))}

    def stop(self) -> None:
        for process in self.running.values():
            process.terminate()
        for process in self.running.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        self.running.clear()
        for leftover in Path(tempfile.gettempdir()).glob("bench-ingest-metrics-*"):
            shutil.rmtree(leftover, ignore_errors=True)


def tree_cpu(pid: int) -> float:
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def _pid(path: Path) -> int:
    return int(path.read_text().split()[0])


async def wait_ready(url: str) -> None:
    async with httpx.AsyncClient() as http:
        for _ in range(300):
            try:
                if (await http.get(url)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError(f"{url} did not answer 200 within a minute")
