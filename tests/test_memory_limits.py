"""Memory: an oversized line is refused without being read whole, and an export that runs out of memory says so
(no segfault, no traceback, no partial file). Each case is the real CLI in a subprocess, under RLIMIT_AS where it
is about memory."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from app.core.exchange.exporter import export_jsonl
from app.core.exchange.importer import ImportOptions, import_sources
from app.core.store import Project

ROOT = Path(__file__).resolve().parents[1]
resource = pytest.importorskip("resource")

# The child loads the CLI, then allows itself only `headroom` bytes of address space beyond what it holds.
LIMITED = r"""
import os, resource, sys
from app import cli
import app.core.exchange.exporter, app.core.io.formats  # loaded before the limit, as the command would have them
headroom = int(sys.argv[1])
vm = int(open("/proc/self/statm").read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
resource.setrlimit(resource.RLIMIT_AS, (vm + headroom, vm + headroom))
sys.exit(cli.main(sys.argv[2:]))
"""

# The child runs the CLI, then prints its peak resident memory in kB (VmHWM: ru_maxrss survives exec on Linux, so
# it would report the parent's peak).
MEASURED = r"""
import sys
from app import cli
rc = cli.main(sys.argv[1:])
peak = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")][0].split()[1]
print(peak, file=sys.stderr)
sys.exit(rc)
"""


def _needs_rlimit_as():
    if not hasattr(resource, "RLIMIT_AS") or not Path("/proc/self/statm").exists():
        pytest.skip("no RLIMIT_AS (or no /proc to measure the address space) on this platform")


def test_export_out_of_memory_is_a_message_not_a_crash(tmp_path):
    _needs_rlimit_as()
    text = "كلمة " * 800_000  # 4M characters: orjson crashed (SIGSEGV) exporting it with ~64 MB to spare
    src = tmp_path / "big.jsonl"
    src.write_bytes(orjson.dumps({"id": "big", "text": text, "annotator": "amal",
                                  "entities": [{"start": 0, "end": 4, "label": "PER"}]}) + b"\n")
    db = tmp_path / "p.db"
    with Project.create(db) as p:
        import_sources(p, [src], ImportOptions(max_chars=5_000_000))
        export_jsonl(p, tmp_path / "full.jsonl")  # what the export writes with memory to spare
    full = (tmp_path / "full.jsonl").read_bytes()
    outcomes = set()
    for mb in (32, 64, 128):
        out = tmp_path / f"out{mb}.jsonl"
        out.write_bytes(b"earlier export\n")
        r = subprocess.run([sys.executable, "-c", LIMITED, str(mb << 20), "export", str(db), str(out)], cwd=ROOT,
                           capture_output=True, text=True)
        assert r.returncode in (0, 1), f"{mb} MB: killed by signal {-r.returncode}"
        assert "Traceback" not in r.stderr, r.stderr
        if r.returncode == 1:
            assert r.stderr.count("\n") == 1 and f"{out}: not enough memory to write this file" in r.stderr
            assert out.read_bytes() == b"earlier export\n"  # the earlier file is untouched
        else:
            assert out.read_bytes() == full
        outcomes.add(r.returncode)
        assert not [f for f in os.listdir(tmp_path) if f.endswith(".part")]
    assert outcomes == {0, 1}  # the limits reach both sides: refused at 32 MB, written whole at 128 MB


def test_an_oversized_line_is_refused_without_reading_it_whole(tmp_path):
    if not Path("/proc/self/status").exists():
        pytest.skip("no /proc to measure the peak memory of the command")
    db = tmp_path / "p.db"
    Project.create(db).close()
    huge = tmp_path / "huge.jsonl"
    with open(huge, "wb") as f:  # one 64 MB line (a dumped database, not an article)
        f.write(b'{"text": "')
        for _ in range(64):
            f.write(b"x" * (1 << 20))
        f.write(b'"}\n')
    small = tmp_path / "small.jsonl"  # the same refusal of a 2 MB line: what the command costs by itself
    small.write_bytes(b'{"text": "' + b"x" * (2 << 20) + b'"}\n')

    def peak(path: Path) -> tuple[str, int]:
        r = subprocess.run([sys.executable, "-c", MEASURED, "import", str(db), str(path), "--max-chars", "1000"],
                           cwd=ROOT, capture_output=True, text=True)
        message, peak_kb = r.stderr.splitlines()
        assert r.returncode == 1 and message.startswith(f"tawsim: {path}:1: line is longer than 1,048,576 bytes")
        return message, int(peak_kb)

    _, base_kb = peak(small)
    _, huge_kb = peak(huge)
    # the old reader held the whole 64 MB line (and its decoded copy): over 170 MB more than the small refusal
    assert huge_kb - base_kb < 16_000, (base_kb, huge_kb)
    with Project.open(db) as p:
        assert p.count_documents() == 0
