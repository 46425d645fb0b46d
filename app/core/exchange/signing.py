"""Each installation's signing key, and the signature that says which installation wrote a bundle.

Why: a bundle names its annotator in plain JSON, so without a signature anyone could write a bundle under a
colleague's name and have it replace their work at the reviewer's. Each installation makes an Ed25519 key pair on
first use (the private key in the user's data directory, readable by the user alone, like ~/.ssh/id_ed25519); a
bundle carries the public key in its header and a signature of its checksum in its end line. The reviewer's
project pins each annotator's public key at the first merge, as SSH pins host keys (merge.py).

What is signed: the text "tawsim-bundle-signature-v1\\n" followed by the hex sha256 of every byte before the end
line (the checksum the end line already carries), so the header (with the key and the annotator's name) and every
set are covered, and a bundle of any size is signed without holding it in memory.
"""
from __future__ import annotations

import base64
import hashlib
import os
import stat
from pathlib import Path
from typing import Optional

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ..io.source import SourceError
from .defaults import data_dir

KEY_FILE = "bundle-signing-key.pem"
_CONTEXT = b"tawsim-bundle-signature-v1\n"


class SigningKeyError(SourceError):
    """The installation's key file cannot be read (the message names the file)."""


def key_path() -> Path:
    return data_dir() / KEY_FILE


def installation_key(path: Optional[Path] = None) -> Ed25519PrivateKey:
    """This installation's private key, made on first use with permissions 0600 (an existing key file that
    others may read is narrowed to 0600: it is the proof that bundles under this name come from here)."""
    path = path or key_path()
    if not path.exists():
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it meanwhile: use theirs
            return installation_key(path)
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
        return key
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        os.chmod(path, 0o600)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise SigningKeyError(path, None, f"not a Tawsim signing key ({exc}); move it away to make a new one "
                                          f"(the reviewer must then accept the new key)") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(path, None, "not an Ed25519 key")
    return key


def public_key_text(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def fingerprint(public_key: str) -> str:
    """As SSH shows keys: SHA256: and the unpadded base64 of the key's sha256."""
    digest = hashlib.sha256(base64.b64decode(public_key)).digest()
    return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")


def sign(key: Ed25519PrivateKey, sha256_hex: str) -> str:
    return base64.b64encode(key.sign(_CONTEXT + sha256_hex.encode())).decode()


def verify(public_key: str, signature: str, sha256_hex: str) -> bool:
    """True when `signature` is the key's signature of the checksum; False for anything else (bad base64 too)."""
    try:
        pub = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key, validate=True))
        pub.verify(base64.b64decode(signature, validate=True), _CONTEXT + sha256_hex.encode())
        return True
    except (InvalidSignature, ValueError, TypeError):
        return False
