"""`tawsim` on a machine without a display says so in one line instead of aborting inside Qt."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the display check is for Linux (X11/Wayland)")
def test_no_display_is_one_clear_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["TAWSIM_HOME"] = str(tmp_path)
    r = subprocess.run([sys.executable, "-m", "app", str(tmp_path / "p.db")], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "no display found" in lines[0] and "xcb" not in r.stderr
    assert not (tmp_path / "p.db").exists()
