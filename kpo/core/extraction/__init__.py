"""Text extraction of uploaded files in a sandboxed subprocess.

A parser fed a hostile file may loop, eat memory or crash; none of that may take the Celery
worker with it. :func:`text_extract` therefore runs the parser (``_child.py``, which imports only
the parser libraries) in a fresh Python process with ``RLIMIT_AS`` (memory) and ``RLIMIT_CPU``
set before it reads a byte, and a wall-clock timeout around it. Any failure (timeout, killed by a
limit, parser error) is one :class:`ExtractionFailed` for that file only.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from django.conf import settings

CHILD = Path(__file__).with_name("_child.py")
EXTRACTABLE_KINDS = ("pdf", "docx", "xlsx", "pptx", "odt", "ods", "txt", "csv")


class ExtractionFailed(Exception):
    """The file's text could not be extracted within the budget; ``reason`` is short and
    stable (``timeout``, ``limit``, ``error``)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


def text_extract(*, data: bytes, kind: str, max_chars: int = 500_000) -> str:
    """The text of ``data`` (a file of ``kind``), extracted within the configured budget:
    ``KPO_EXTRACTION_TIMEOUT_SECONDS`` wall clock, ``KPO_EXTRACTION_CPU_SECONDS`` CPU and
    ``KPO_EXTRACTION_MEMORY_BYTES`` address space."""
    if kind not in EXTRACTABLE_KINDS:
        return ""
    timeout = float(getattr(settings, "KPO_EXTRACTION_TIMEOUT_SECONDS", 60))
    cpu = int(getattr(settings, "KPO_EXTRACTION_CPU_SECONDS", 30))
    memory = int(getattr(settings, "KPO_EXTRACTION_MEMORY_BYTES", 768 * 1024 * 1024))
    command = [sys.executable, "-I", str(CHILD), kind, str(cpu), str(memory), str(max_chars)]
    try:
        result = subprocess.run(  # noqa: S603 - fixed command, our own script, no shell
            command, input=data, capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:  # run() has killed the child already
        raise ExtractionFailed("timeout", f"over {timeout:g}s") from exc
    if result.returncode < 0:  # killed by a signal: SIGXCPU/SIGKILL at a limit
        raise ExtractionFailed("limit", f"signal {-result.returncode}")
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        reason = "limit" if "MemoryError" in detail[0] else "error"
        raise ExtractionFailed(reason, detail[0][:150])
    return result.stdout.decode("utf-8", "replace")[:max_chars]
