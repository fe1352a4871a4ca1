"""A local Apache Kafka broker that newswatch starts and stops itself.

Kafka 3.9 runs from its Maven Central jars on the JDK, as one KRaft node that
is both broker and controller, listening on 127.0.0.1 only. The jars are
fetched by Maven on first use (``resources/kafka-pom.xml``); storage is
formatted on first start; readiness is a real metadata call, not an open port.
Everything lives in one data folder: ``server.properties``, ``data/``,
``logs/server.log`` and ``broker.json`` (pid and ports).
"""

from __future__ import annotations

import base64
import json
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

log = logging.getLogger(__name__)

KAFKA_MAIN = "kafka.Kafka"


class BrokerError(RuntimeError):
    """The local broker cannot be set up, started or reached; the message says why."""


def newswatch_home() -> Path:
    """Where newswatch keeps local state: ``$NEWSWATCH_HOME`` or ``./.newswatch``."""
    return Path(os.environ.get("NEWSWATCH_HOME", ".newswatch"))


def default_libs_dir() -> Path:
    return Path(os.environ.get("NEWSWATCH_KAFKA_LIBS", newswatch_home() / "kafka-libs"))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_java() -> str:
    """The java executable (``$JAVA_HOME/bin/java`` first); BrokerError says what to install."""
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return str(Path(home) / "bin" / "java")
    found = shutil.which("java")
    if not found:
        raise BrokerError(
            "Java was not found: the local Kafka broker runs on a JDK (17 or newer). "
            "Install one (e.g. `apt-get install openjdk-17-jre-headless`) or set JAVA_HOME."
        )
    return found


def ensure_jars(libs_dir: Path) -> Path:
    """Make sure the Kafka jars are in ``libs_dir``, fetching them with Maven if not."""
    if any(libs_dir.glob("kafka_2.13-*.jar")):
        return libs_dir
    mvn = shutil.which("mvn")
    if not mvn:
        raise BrokerError(
            f"The Kafka jars are not in {libs_dir} and Maven (mvn) is not installed to fetch "
            "them. Install Maven (e.g. `apt-get install maven`) or set NEWSWATCH_KAFKA_LIBS "
            "to a folder holding kafka_2.13-3.9.x.jar and its dependencies."
        )
    libs_dir.mkdir(parents=True, exist_ok=True)
    pom = resources.files("stream").joinpath("resources", "kafka-pom.xml")
    with resources.as_file(pom) as pom_path:
        cmd = [
            mvn,
            "-q",
            "-B",
            "-f",
            str(pom_path),
            "dependency:copy-dependencies",
            f"-DoutputDirectory={libs_dir.resolve()}",
        ]
        log.info("fetching Kafka jars with Maven into %s", libs_dir)
        result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0 or not any(libs_dir.glob("kafka_2.13-*.jar")):
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
        raise BrokerError(f"Maven could not fetch the Kafka jars into {libs_dir}:\n{tail}")
    return libs_dir


def random_cluster_id() -> str:
    """A KRaft cluster id: URL-safe base64 of a random UUID, never starting with ``-``.

    The storage tool would read a leading ``-`` as an option (``--cluster-id/-t:
    expected one argument``), so, like Kafka's own ``Uuid.randomUuid()``, draw again.
    """
    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not cluster_id.startswith("-"):
            return cluster_id


def running_brokers() -> list[tuple[int, Path]]:
    """(pid, data dir) of every local broker newswatch started, found by their processes.

    A broker's command line ends with its ``server.properties``, which lives in
    its data dir; that is how ``broker status``/``stop`` find one by port.
    """
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            args = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        props = [a for a in args if a.endswith(b"server.properties")]
        if KAFKA_MAIN.encode() in args and props:
            found.append((int(proc.name), Path(props[-1].decode()).parent))
    return found


def _props_port(data_dir: Path) -> int | None:
    """The client port in ``data_dir/server.properties``, if there is one."""
    try:
        text = (data_dir / "server.properties").read_text()
    except OSError:
        return None
    match = re.search(r"^listeners=PLAINTEXT://[^:]+:(\d+)", text, re.MULTILINE)
    return int(match.group(1)) if match else None


def find_data_dir(port: int) -> Path | None:
    """The data dir of the running local broker listening on ``port``, if any."""
    for _pid, data_dir in running_brokers():
        if _props_port(data_dir) == port:
            return data_dir
    return None


def _pid_alive(pid: int) -> bool:
    """Whether ``pid`` runs a Kafka broker (a zombie or a reused pid does not count).

    A process in the middle of ``exec`` (the java launcher re-executes itself
    at start) shows an empty command line for a moment: that counts as alive.
    """
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        if stat.rsplit(")", 1)[1].split()[0] == "Z":
            return False
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True
    return not cmdline or KAFKA_MAIN.encode() in cmdline


@dataclass(frozen=True)
class BrokerStatus:
    running: bool
    ready: bool
    pid: int | None
    bootstrap: str | None
    detail: str


class LocalBroker:
    """One single-node KRaft broker in ``data_dir``.

    data_dir (Path): folder for config, data, logs and state. Defaults to .newswatch/broker.
    port (int | None): client port on 127.0.0.1; 0 picks a free one. Defaults to the
        port of the running broker in ``data_dir``, else 9092.
    libs_dir (Path | None): folder of Kafka jars. Defaults to .newswatch/kafka-libs.
    heap (str): JVM max heap. Defaults to "768m".
    """

    def __init__(
        self,
        data_dir: Path | None = None,
        *,
        port: int | None = None,
        libs_dir: Path | None = None,
        heap: str = "768m",
    ) -> None:
        self.data_dir = Path(data_dir or newswatch_home() / "broker")
        self.libs_dir = Path(libs_dir or default_libs_dir())
        self.heap = heap
        state = self._read_state()
        if port is None:
            port = (state or {}).get("port") or 9092
        self.port = port or free_port()
        self.controller_port = (state or {}).get("controller_port") or free_port()

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def state_file(self) -> Path:
        return self.data_dir / "broker.json"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "logs" / "server.log"

    def _read_state(self) -> dict | None:
        try:
            return json.loads((self.data_dir / "broker.json").read_text())
        except (OSError, ValueError):
            return None

    def _running_pid(self) -> int | None:
        state = self._read_state()
        if state and _pid_alive(int(state["pid"])):
            return int(state["pid"])
        return None

    def _write_config(self) -> Path:
        (self.data_dir / "logs").mkdir(parents=True, exist_ok=True)
        props = {
            "process.roles": "broker,controller",
            "node.id": "1",
            "controller.quorum.voters": f"1@127.0.0.1:{self.controller_port}",
            "listeners": f"PLAINTEXT://127.0.0.1:{self.port},CONTROLLER://127.0.0.1:{self.controller_port}",
            "advertised.listeners": f"PLAINTEXT://127.0.0.1:{self.port}",
            "controller.listener.names": "CONTROLLER",
            "inter.broker.listener.name": "PLAINTEXT",
            "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "log.dirs": str((self.data_dir / "data").resolve()),
            "num.partitions": "1",
            "auto.create.topics.enable": "false",
            "offsets.topic.replication.factor": "1",
            "offsets.topic.num.partitions": "4",
            "transaction.state.log.replication.factor": "1",
            "transaction.state.log.min.isr": "1",
            "transaction.state.log.num.partitions": "4",
            "group.initial.rebalance.delay.ms": "0",
            "log.cleaner.dedupe.buffer.size": str(16 * 1024 * 1024),
        }
        path = self.data_dir / "server.properties"
        path.write_text("".join(f"{k}={v}\n" for k, v in props.items()))
        log4j = self.data_dir / "log4j.properties"
        log4j.write_text(
            "log4j.rootLogger=INFO, file\n"
            "log4j.appender.file=org.apache.log4j.RollingFileAppender\n"
            f"log4j.appender.file.File={self.log_file.resolve()}\n"
            "log4j.appender.file.MaxFileSize=20MB\n"
            "log4j.appender.file.MaxBackupIndex=2\n"
            "log4j.appender.file.layout=org.apache.log4j.PatternLayout\n"
            "log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n\n"
            "log4j.logger.kafka.request.logger=WARN\n"
            "log4j.logger.state.change.logger=WARN\n"
        )
        return path

    def _java(self, main: str, *args: str) -> list[str]:
        classpath = f"{self.libs_dir.resolve()}/*"
        log4j = f"file:{(self.data_dir / 'log4j.properties').resolve()}"
        return [
            find_java(),
            f"-Xmx{self.heap}",
            "-Xms128m",
            "-XX:+UseG1GC",
            "-Djava.awt.headless=true",
            f"-Dlog4j.configuration={log4j}",
            "-cp",
            classpath,
            main,
            *args,
        ]

    def _format_storage(self, config: Path) -> None:
        if (self.data_dir / "data" / "meta.properties").exists():
            return
        args = ("format", "-t", random_cluster_id(), "-c", str(config), "-g")
        cmd = self._java("kafka.tools.StorageTool", *args)
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode != 0:
            raise BrokerError(f"formatting Kafka storage failed:\n{result.stdout}{result.stderr}")

    def start(self, timeout_s: float = 120.0) -> float:
        """Start the broker (if not running) and wait until it answers; return seconds taken."""
        started = time.monotonic()
        pid = self._running_pid()
        if pid:
            self.wait_ready(timeout_s, pid)
            return time.monotonic() - started
        ensure_jars(self.libs_dir)
        find_java()
        config = self._write_config()
        self._format_storage(config)
        out = open(self.data_dir / "logs" / "kafka.out", "ab")  # noqa: SIM115 - owned by child
        proc = subprocess.Popen(
            self._java(KAFKA_MAIN, str(config.resolve())),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        out.close()
        state = {"pid": proc.pid, "port": self.port, "controller_port": self.controller_port}
        self.state_file.write_text(json.dumps(state))
        try:
            self.wait_ready(timeout_s, proc.pid, proc)
        except BrokerError:  # never leave a half-started broker behind
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)
            self.state_file.unlink(missing_ok=True)
            raise
        return time.monotonic() - started

    def wait_ready(self, timeout_s: float, pid: int, proc: subprocess.Popen | None = None) -> None:
        """Block until a metadata call succeeds; BrokerError if the process dies or times out."""
        deadline = time.monotonic() + timeout_s
        last_error = "no answer yet"
        while time.monotonic() < deadline:
            exited = proc.poll() is not None if proc is not None else not _pid_alive(pid)
            if exited:
                raise BrokerError(f"the Kafka broker exited during start-up.\n{self.log_tail()}")
            ok, last_error = self.ping()
            if ok:
                return
            time.sleep(0.3)
        raise BrokerError(
            f"the Kafka broker did not become ready within {timeout_s:.0f}s ({last_error}).\n"
            f"{self.log_tail()}"
        )

    def ping(self) -> tuple[bool, str]:
        """One real metadata call: (True, cluster description) or (False, the error)."""
        from kafka import KafkaAdminClient

        try:
            admin = KafkaAdminClient(
                bootstrap_servers=self.bootstrap,
                request_timeout_ms=3000,
                connections_max_idle_ms=5000,
                client_id="newswatch-broker-check",
            )
        except Exception as exc:  # NoBrokersAvailable and friends
            return False, f"{exc.__class__.__name__}: {exc}"
        try:
            cluster = admin.describe_cluster()
            return bool(cluster.get("brokers")), f"cluster {cluster.get('cluster_id')}"
        except Exception as exc:
            return False, f"{exc.__class__.__name__}: {exc}"
        finally:
            admin.close()

    def stop(self, timeout_s: float = 60.0) -> bool:
        """Ask the broker to shut down cleanly and wait; kill it after ``timeout_s``.

        Returns False if it was not running.
        """
        pid = self._running_pid()
        if not pid:
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and _pid_alive(pid):
            time.sleep(0.2)
            try:  # reap it if it is our child
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
        if _pid_alive(pid):
            log.warning("broker pid %s did not stop in %.0fs; killing it", pid, timeout_s)
            os.kill(pid, signal.SIGKILL)
        self.state_file.unlink(missing_ok=True)
        return True

    def status(self) -> BrokerStatus:
        pid = self._running_pid()
        if not pid:
            return BrokerStatus(False, False, None, None, f"not running (data in {self.data_dir})")
        ok, detail = self.ping()
        return BrokerStatus(True, ok, pid, self.bootstrap, detail)

    def log_tail(self, lines: int = 20) -> str:
        for path in (self.log_file, self.data_dir / "logs" / "kafka.out"):
            if path.exists() and path.stat().st_size:
                tail = path.read_text(errors="replace").splitlines()[-lines:]
                return f"last lines of {path}:\n" + "\n".join(tail)
        return f"(no log in {self.data_dir / 'logs'})"
