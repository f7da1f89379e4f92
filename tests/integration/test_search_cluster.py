"""Scale-out: the index on a 3-node OpenSearch cluster survives a node killed with SIGKILL.

Three embedded nodes (one JVM each, loopback ports, ``tools/search-node`` in cluster mode) form
one cluster; the content index has one replica. A thread searches without pause while the
main thread keeps changing content and draining the outbox; the node holding the primary shard
is killed in the middle and started again later. Proven: no search fails or returns a partial
or wrong result, every outbox row is drained exactly once, and the index ends with the newest
version of every document. The figures are printed and written to
``test-artifacts/search-cluster-figures.json`` (docs/operations.md, "Search cluster sizing").
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import transaction

from search.engine import content_alias, get_engine
from search.indexer import drain_outbox, reindex
from search.models import SearchOutbox
from search.services import index_enqueue
from tests.factories import CommunityFactory

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[2]
HTTP_PORTS = (9271, 9272, 9273)
TRANSPORT_PORTS = (9277, 9278, 9279)
NODE_NAMES = tuple(f"kpo-search-{port}" for port in HTTP_PORTS)
HEAP = os.environ.get("SEARCH_CLUSTER_HEAP", "-Xms384m -Xmx384m")
ARTIFACT = ROOT / "test-artifacts" / "search-cluster-figures.json"


class Cluster:
    def __init__(self) -> None:
        self.base = ROOT / ".run" / "search-cluster"
        self.urls = [f"http://127.0.0.1:{port}" for port in HTTP_PORTS]

    def env(self, i: int) -> dict[str, str]:
        seeds = ",".join(f"127.0.0.1:{port}" for port in TRANSPORT_PORTS)
        return {
            **os.environ,
            "SEARCH_NODE_PORT": str(HTTP_PORTS[i]),
            "SEARCH_NODE_DIR": str(self.base / NODE_NAMES[i]),
            "SEARCH_NODE_HEAP": HEAP,
            "SEARCH_NODE_TIMEOUT": "300",
            "SEARCH_NODE_SETTINGS": " ".join(
                [
                    "cluster.name=kpo-search-cluster-test",
                    f"transport.port={TRANSPORT_PORTS[i]}",
                    f"discovery.seed_hosts={seeds}",
                    f"cluster.initial_cluster_manager_nodes={','.join(NODE_NAMES)}",
                ]
            ),
        }

    def _tool(self, i: int, command: str) -> subprocess.Popen:
        return subprocess.Popen(
            [str(ROOT / "tools" / "search-node"), command],
            env=self.env(i),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def start(self, *nodes: int) -> None:
        """Start the nodes in parallel (none is healthy before a cluster manager is elected)."""
        procs = [(i, self._tool(i, "start")) for i in nodes]
        for i, proc in procs:
            out, err = proc.communicate(timeout=400)
            assert proc.returncode == 0, f"node {NODE_NAMES[i]} did not start:\n{err[-3000:]}"

    def stop_all(self) -> None:
        for i in range(len(HTTP_PORTS)):
            self._tool(i, "stop").communicate(timeout=120)

    def pid(self, i: int) -> int:
        return int((self.base / NODE_NAMES[i] / "node.pid").read_text())

    def kill(self, i: int) -> None:
        os.kill(self.pid(i), signal.SIGKILL)

    def get(self, path: str, i: int = 0) -> dict | list:
        for url in [self.urls[i], *self.urls]:
            try:
                with urllib.request.urlopen(url + path, timeout=30) as response:  # noqa: S310
                    return json.loads(response.read())
            except OSError:
                continue
        raise AssertionError(f"no node answers {path}")

    def wait_status(self, status: str, nodes: int, timeout: float = 300) -> float:
        """Seconds until the cluster has ``nodes`` nodes and at least ``status`` health."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            try:
                health = self.get(f"/_cluster/health?wait_for_status={status}&timeout=5s")
                if health["number_of_nodes"] == nodes and not health["timed_out"]:
                    return time.monotonic() - started
            except AssertionError:
                pass
            time.sleep(0.5)
        raise AssertionError(f"cluster not {status} with {nodes} nodes after {timeout}s")


@pytest.fixture
def cluster(require_services):
    cluster = Cluster()
    shutil.rmtree(cluster.base, ignore_errors=True)
    try:
        started = time.monotonic()
        cluster.start(0, 1, 2)
        cluster.wait_status("green", 3)
        cluster.formed_seconds = time.monotonic() - started
        yield cluster
    finally:
        cluster.stop_all()
        shutil.rmtree(cluster.base, ignore_errors=True)


class SearchLoop(threading.Thread):
    """Searches without pause; a failure is an exception, a shard failure or a wrong count."""

    def __init__(self, expected: int) -> None:
        super().__init__(daemon=True)
        self.expected = expected
        self.engine = get_engine()
        self.alias = content_alias()
        self.stop = threading.Event()
        self.done = 0
        self.failures: list[str] = []
        self.slowest = 0.0

    def run(self) -> None:
        body = {"size": 3, "track_total_hits": True, "query": {"match": {"body": "clustertoets"}}}
        while not self.stop.is_set():
            started = time.monotonic()
            try:
                result = self.engine.search(self.alias, body)
                total = result["hits"]["total"]["value"]
                if result["_shards"]["failed"] or total != self.expected:
                    self.failures.append(f"shards={result['_shards']} total={total}")
            except Exception as exc:  # noqa: BLE001 - every failure counts
                self.failures.append(repr(exc)[:300])
            self.done += 1
            self.slowest = max(self.slowest, time.monotonic() - started)


def _primary_node(cluster: Cluster, index: str) -> int:
    shards = cluster.get(f"/_cat/shards/{index}?format=json")
    (primary,) = [s for s in shards if s["prirep"] == "p"]
    return NODE_NAMES.index(primary["node"])


def test_node_killed_during_searches_and_drains_loses_nothing(
    cluster, settings, transactional_db, capsys
):
    settings.SEARCH_URL = ",".join(cluster.urls)
    settings.SEARCH_INDEX_REPLICAS = 1
    # Four JVMs and the suite share two cores: a slow answer is load, not a node failure.
    settings.SEARCH_TIMEOUT_SECONDS = 30
    settings.SEARCH_INDEX_PREFIX = f"{settings.SEARCH_INDEX_PREFIX}-cluster"
    engine = get_engine()
    assert engine.hosts == tuple(cluster.urls)

    communities = [
        CommunityFactory(description=f"Community {n}, clustertoets 0") for n in range(30)
    ]
    SearchOutbox.objects.all().delete()  # the full build below indexes everything
    physical = reindex(engine=engine)["index"]
    settings_body = cluster.get(f"/{physical}/_settings")[physical]["settings"]["index"]
    assert settings_body["number_of_replicas"] == "1"
    cluster.wait_status("green", 3)
    engine.refresh(content_alias())
    expected = engine.count(content_alias(), {"match": {"body": "clustertoets"}})
    assert expected == len(communities)

    loop = SearchLoop(expected)
    loop.start()
    seen_rows: set[int] = set()
    newest: dict[str, int] = {}
    figures = {"drain_calls": 0, "rows_drained": 0, "drains_postponed": 0}

    def change_and_drain(round_no: int) -> None:
        with transaction.atomic():  # a content write and its outbox row, as the services do
            for community in communities[round_no % 3 :: 3]:
                community.description = f"Community {community.pk}, clustertoets {round_no}"
                community.save()
                index_enqueue(community)
        for pk, doc_id, version in SearchOutbox.objects.values_list("pk", "doc_id", "version"):
            seen_rows.add(pk)
            newest[doc_id] = max(version, newest.get(doc_id, 0))
        pending = SearchOutbox.objects.count()
        drained = drain_outbox(engine=engine)
        figures["drain_calls"] += 1
        figures["rows_drained"] += drained
        if drained < pending:
            figures["drains_postponed"] += 1

    victim = _primary_node(cluster, physical)
    for round_no in range(1, 6):
        change_and_drain(round_no)
        time.sleep(0.2)
    searches_before_kill = loop.done
    killed_at = time.monotonic()
    cluster.kill(victim)
    round_no = 6
    while time.monotonic() - killed_at < 15:  # changes and drains go on while it is gone
        change_and_drain(round_no)
        round_no += 1
        time.sleep(0.2)
    time_to_yellow = cluster.wait_status("yellow", 2, timeout=120) + 15
    restarted_at = time.monotonic()
    restart = threading.Thread(target=cluster.start, args=(victim,))
    restart.start()
    while restart.is_alive():
        change_and_drain(round_no)
        round_no += 1
        time.sleep(0.2)
    restart.join()
    time_to_green = cluster.wait_status("green", 3) + (time.monotonic() - restarted_at)
    for _ in range(3):
        change_and_drain(round_no)
        round_no += 1
    # Whatever a drain postponed (engine unreachable for its batch) is sent by a later one.
    while SearchOutbox.objects.exists():
        drained = drain_outbox(engine=engine)
        figures["drain_calls"] += 1
        figures["rows_drained"] += drained
        time.sleep(0.5)
    loop.stop.set()
    loop.join(timeout=30)

    engine.refresh(content_alias())
    doc_ids = sorted(newest)
    indexed = engine.get_versions(content_alias(), doc_ids, source=["body"])
    lost = [d for d in doc_ids if d not in indexed or indexed[d][0] != newest[d]]
    stale = [
        c.pk
        for c in communities
        if c.description
        not in indexed.get(f"communities.community:{c.pk}", (0, {}))[1].get("body", "")
    ]
    figures.update(
        searches=loop.done,
        searches_before_kill=searches_before_kill,
        failed_searches=len(loop.failures),
        slowest_search_seconds=round(loop.slowest, 2),
        rows_enqueued=len(seen_rows),
        documents_checked=len(doc_ids),
        lost_or_stale_updates=len(lost) + len(stale),
        change_rounds=round_no,
        killed_node=NODE_NAMES[victim],
        cluster_formed_seconds=round(cluster.formed_seconds, 1),
        yellow_with_2_nodes_within_seconds=round(time_to_yellow, 1),
        seconds_to_green_after_restart=round(time_to_green, 1),
        heap_per_node=HEAP,
    )
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    ARTIFACT.write_text(json.dumps(figures, indent=2))
    with capsys.disabled():
        print("\nsearch cluster fault test:", json.dumps(figures))

    assert loop.failures == [], loop.failures[:5]
    assert loop.done > searches_before_kill > 0
    assert lost == [] and stale == []
    # Every row drained exactly once: none lost, none sent twice.
    assert figures["rows_drained"] == len(seen_rows) > 0
    assert not SearchOutbox.objects.exists()
    assert settings.SEARCH_INDEX_REPLICAS == 1
