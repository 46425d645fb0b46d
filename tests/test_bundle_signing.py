"""Issue 13 item 8, through `tawsim` as a subprocess: bundles are signed with the installation's key, the reviewer's
project pins each annotator's key at the first merge, and a forged bundle (re-signed with another key, tampered, from
the future, unsigned, or of gold) is refused with the project unchanged."""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from bundle_helpers import ANEZI, annotate, bundle_lines, new_project, rewrite, snapshot

from app.core.exchange import signing
from app.core.exchange.bundle import write_bundle
from app.core.exchange.merge import PINNED_KEYS

ROOT = Path(__file__).resolve().parents[1]


def tawsim(home: Path, *argv) -> subprocess.CompletedProcess:
    env = {**os.environ, "TAWSIM_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "app", *map(str, argv)], cwd=ROOT, env=env, capture_output=True,
                          text=True)


@pytest.fixture
def desks(tmp_path):
    """alice's desk and mallory's (who also calls herself alice), each its own installation, and the reviewer's."""
    out = {}
    for name in ("alice", "mallory"):
        p = new_project(tmp_path, f"{name}-desk")
        annotate(p, "alice", ANEZI, variant=0 if name == "alice" else 1)
        out[name] = tmp_path / f"{name}.tawsim-bundle.jsonl"
        (tmp_path / f"{name}-home").mkdir()
        write_bundle(p, out[name], "alice", key=key_of(tmp_path, name))  # as `tawsim bundle` on their desk
        p.close()
    reviewer = new_project(tmp_path, "reviewer")
    yield out, reviewer
    reviewer.close()


def key_of(tmp_path: Path, who: str):
    return signing.installation_key(tmp_path / f"{who}-home" / signing.KEY_FILE)


def refused(tmp_path, reviewer, *bundles_and_flags) -> str:
    before = snapshot(reviewer, tmp_path)
    r = tawsim(tmp_path / "rev-home", "merge", reviewer.path, *bundles_and_flags)
    assert r.returncode == 1 and "nothing was merged; the project is unchanged" in r.stderr, r.stdout + r.stderr
    assert snapshot(reviewer, tmp_path) == before
    return r.stderr


def test_the_key_is_private_and_pinned_at_the_first_merge(desks, tmp_path):
    bundles, reviewer = desks
    home = tmp_path / "new-home"  # a first `tawsim bundle` on a new installation makes its key, private
    r = tawsim(home, "bundle", tmp_path / "alice-desk.db", tmp_path / "new.jsonl", "--annotator", "alice")
    assert r.returncode == 0, r.stderr
    assert stat.S_IMODE((home / signing.KEY_FILE).stat().st_mode) == 0o600
    new_key = signing.public_key_text(signing.installation_key(home / signing.KEY_FILE))
    assert bundle_lines(tmp_path / "new.jsonl")[0]["public_key"] == new_key
    alice_key = signing.public_key_text(key_of(tmp_path, "alice"))
    r = tawsim(tmp_path / "rev-home", "merge", reviewer.path, bundles["alice"])
    assert r.returncode == 0 and f"pinned alice's key {signing.fingerprint(alice_key)}" in r.stdout
    assert reviewer.setting(PINNED_KEYS)["alice"]["public_key"] == alice_key
    r = tawsim(tmp_path / "rev-home", "merge", reviewer.path, bundles["alice"])  # the same key again: fine
    assert r.returncode == 0 and "1 unchanged" in r.stdout and "pinned" not in r.stdout


def test_forged_tampered_and_future_bundles_are_refused(desks, tmp_path):
    bundles, reviewer = desks
    assert tawsim(tmp_path / "rev-home", "merge", reviewer.path, bundles["alice"]).returncode == 0
    alice, mallory = key_of(tmp_path, "alice"), key_of(tmp_path, "mallory")

    # another installation's bundle under alice's name, and alice's own bundle changed and re-signed with
    # another key: refused, both fingerprints and the way out named
    resigned = tmp_path / "resigned.jsonl"
    resigned.write_bytes(bundles["alice"].read_bytes())
    rewrite(resigned, lambda recs: recs[0].update(comment="not alice's"), key=mallory)
    err = refused(tmp_path, reviewer, bundles["mallory"], resigned)
    assert err.count("--accept-new-key alice") == 2
    assert (signing.fingerprint(signing.public_key_text(alice)) in err
            and signing.fingerprint(signing.public_key_text(mallory)) in err)

    # tampered: a set changed, checksum recomputed, alice's signature kept
    tampered = tmp_path / "tampered.jsonl"
    signature = bundle_lines(bundles["alice"])[-1]["signature"]
    tampered.write_bytes(bundles["alice"].read_bytes())
    rewrite(tampered, lambda recs: recs[0].update(status="flagged"), key=alice)
    doc = bundle_lines(tampered)
    doc[-1]["signature"] = signature  # the checksum is right again, the signature is alice's of the old content
    tampered.write_bytes(b"".join(json.dumps(o, ensure_ascii=False).encode() + b"\n" for o in doc))
    # far in the future, signed by alice herself: a time that would win every later merge
    future = (_dt.datetime.now(_dt.timezone.utc) + _dt.timedelta(days=3650)).isoformat(timespec="seconds")
    ahead = tmp_path / "future.jsonl"
    ahead.write_bytes(bundles["alice"].read_bytes())
    rewrite(ahead, lambda recs: recs[0].update(updated_at=future), key=alice)
    # gold, in any spelling
    gold = tmp_path / "gold.jsonl"
    gold.write_bytes(bundles["alice"].read_bytes())
    rewrite(gold, lambda recs: [r.update(annotator=" Gold") for r in recs], header={"annotator": " Gold"}, key=alice)
    err = refused(tmp_path, reviewer, tampered, ahead, gold)
    assert f"{tampered}:" in err and "the signature does not match" in err
    assert f"{ahead}:2: updated_at {future} is in the future" in err
    assert f"{gold}:1:" in err and "only adjudication" in err and "writes" in err, err

    # unsigned under a pinned name: refused even when unsigned bundles are allowed
    unsigned = tmp_path / "unsigned.jsonl"
    unsigned.write_bytes(bundles["alice"].read_bytes())
    rewrite(unsigned, lambda recs: None, key=alice)
    doc = bundle_lines(unsigned)
    del doc[0]["public_key"], doc[-1]["signature"]
    body = b"".join(json.dumps(o, ensure_ascii=False).encode() + b"\n" for o in doc[:-1])
    doc[-1]["sha256"] = hashlib.sha256(body).hexdigest()
    unsigned.write_bytes(body + json.dumps(doc[-1]).encode() + b"\n")
    assert "is not signed" in refused(tmp_path, reviewer, unsigned, "--allow-unsigned")


def test_unsigned_bundles_need_allow_unsigned_and_a_new_key_needs_accepting(desks, tmp_path):
    bundles, reviewer = desks
    unsigned = tmp_path / "unsigned.jsonl"
    doc = bundle_lines(bundles["alice"])
    del doc[0]["public_key"], doc[-1]["signature"]
    body = b"".join(json.dumps(o, ensure_ascii=False).encode() + b"\n" for o in doc[:-1])
    doc[-1]["sha256"] = hashlib.sha256(body).hexdigest()
    unsigned.write_bytes(body + json.dumps(doc[-1]).encode() + b"\n")
    assert "--allow-unsigned" in refused(tmp_path, reviewer, unsigned)
    r = tawsim(tmp_path / "rev-home", "merge", reviewer.path, unsigned, "--allow-unsigned")
    assert r.returncode == 0 and "1 new" in r.stdout and "unsigned" in r.stdout
    assert "alice" not in (reviewer.setting(PINNED_KEYS) or {})  # nothing to pin

    assert tawsim(tmp_path / "rev-home", "merge", reviewer.path, bundles["alice"]).returncode == 0  # pins
    r = tawsim(tmp_path / "rev-home", "merge", reviewer.path, bundles["mallory"], "--accept-new-key", "alice")
    assert r.returncode == 0 and "accepted alice's new key" in r.stdout, r.stderr
    mallory = signing.public_key_text(key_of(tmp_path, "mallory"))
    assert reviewer.setting(PINNED_KEYS)["alice"]["public_key"] == mallory
    refused(tmp_path, reviewer, bundles["alice"])  # and now the old key is the stranger
