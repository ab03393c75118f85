"""The profile's Kafka broker: official jars from Maven Central, one KRaft node."""

import base64
import shutil
import socket
import struct
import uuid
from pathlib import Path

from stacklib import procs
from stacklib.procs import StackError, say
from stacklib.profiles import KAFKA_DIR, Profile, infra_env, python

LIB = KAFKA_DIR / "target" / "lib"
LOG4J = KAFKA_DIR / "log4j2.xml"
READY_TIMEOUT = 60.0


def home(profile: Profile) -> Path:
    return profile.state / "kafka"


def properties(profile: Profile) -> Path:
    return home(profile) / "server.properties"


def log(profile: Profile) -> Path:
    return profile.logs / "kafka.log"


def pid_file(profile: Profile) -> Path:
    return profile.pids / "kafka.pid"


def marker(profile: Profile) -> str:
    # The absolute path of this profile's config tells its broker apart from any other java.
    return str(properties(profile))


def ensure_jars() -> None:
    """Resolve the broker's jars into deploy/local/kafka/target/lib unless already there."""
    if any(LIB.glob("kafka_2.13-*.jar")):
        return
    for tool in ("mvn", "java"):
        if shutil.which(tool) is None:
            raise StackError(f"{tool} not found: install Maven and a JDK (apt-get install maven)")
    say("kafka: resolving jars from Maven Central (first run only)")
    # Into a side directory first, so an interrupted download is not taken for a complete one.
    partial = LIB.with_name("lib.partial")
    shutil.rmtree(partial, ignore_errors=True)
    argv = ["mvn", "-q", "-B", "dependency:copy-dependencies", "-DincludeScope=runtime"]
    procs.run([*argv, f"-DoutputDirectory={partial}"], what="mvn", cwd=KAFKA_DIR)
    partial.rename(LIB)


def write_config(profile: Profile) -> None:
    port, controller = profile.kafka_port, profile.controller_port
    settings = {
        "process.roles": "broker,controller",
        "node.id": "1",
        "controller.quorum.bootstrap.servers": f"127.0.0.1:{controller}",
        "listeners": f"PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller}",
        "advertised.listeners": f"PLAINTEXT://127.0.0.1:{port}",
        "controller.listener.names": "CONTROLLER",
        "inter.broker.listener.name": "PLAINTEXT",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs": str(home(profile) / "data"),
        "offsets.topic.replication.factor": "1",
        # The default 50 partitions make the first consumer group wait for 50 leaders.
        "offsets.topic.num.partitions": "5",
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "share.coordinator.state.topic.replication.factor": "1",
        "share.coordinator.state.topic.min.isr": "1",
        "group.initial.rebalance.delay.ms": "0",
        # Topics come only from appeals_common.kafka, with their partition counts.
        "auto.create.topics.enable": "false",
    }
    home(profile).mkdir(parents=True, exist_ok=True)
    properties(profile).write_text("".join(f"{k}={v}\n" for k, v in settings.items()))


def format_storage(profile: Profile) -> None:
    """Format the log directory once; a formatted one keeps its cluster id and data."""
    if (home(profile) / "data" / "meta.properties").exists():
        return
    argv = ["java", "-cp", f"{LIB}/*", "kafka.tools.StorageTool", "format"]
    argv += ["-t", _cluster_id(), "-c", str(properties(profile)), "--standalone"]
    procs.run(argv, what="kafka storage format", cwd=home(profile))


def _cluster_id() -> str:
    # Kafka's own format: 16 random bytes, URL-safe base64 without padding, not led by '-'.
    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()
        if not cluster_id.startswith("-"):
            return cluster_id


def start(profile: Profile) -> None:
    """Start the broker unless it runs; wait until it answers requests."""
    if running(profile):
        say(f"kafka: already running on 127.0.0.1:{profile.kafka_port}")
        return
    for port in (profile.kafka_port, profile.controller_port):
        if procs.port_open(port):
            raise StackError(f"kafka: port {port} is taken by another process")
    ensure_jars()
    write_config(profile)
    format_storage(profile)
    say(f"kafka: starting on 127.0.0.1:{profile.kafka_port}")
    argv = ["java", "-Xmx512m", f"-Dlog4j2.configurationFile={LOG4J}", "-cp", f"{LIB}/*"]
    argv += ["kafka.Kafka", str(properties(profile))]
    env = infra_env(profile)
    procs.spawn(argv, log=log(profile), pid_file=pid_file(profile), env=env, cwd=home(profile))
    port = profile.kafka_port
    procs.wait_until(lambda: answers(port) or not running(profile), READY_TIMEOUT)
    if not answers(port):
        tail = procs.tail(log(profile))
        raise StackError(f"kafka did not come up; tail of {log(profile)}:\n{tail}")


def running(profile: Profile) -> bool:
    return procs.running_pid(pid_file(profile), marker(profile)) is not None


def answers(port: int) -> bool:
    """True once the broker replies to ApiVersions: its port opens before it serves."""
    client = b"stack.py"
    # Request header v1 (api key 18 = ApiVersions, version 0, correlation id 1, client id).
    request = struct.pack(">hhih", 18, 0, 1, len(client)) + client
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
            sock.sendall(struct.pack(">i", len(request)) + request)
            reply = sock.makefile("rb").read(10)
    except OSError:
        return False
    if len(reply) < 10:
        return False
    correlation_id, error_code = struct.unpack(">ih", reply[4:])
    return (correlation_id, error_code) == (1, 0)


def create_topics(profile: Profile) -> None:
    """Create the platform's topics (idempotent) on the profile's or the given broker."""
    argv = [python(), "-m", "appeals_common.kafka"]
    procs.run(argv, what="topic creation (python -m appeals_common.kafka)", env=infra_env(profile))


def stop(profile: Profile) -> None:
    procs.stop("kafka", pid_file(profile), marker(profile), timeout=30)
