"""A trained recogniser as bytes: the same bytes in the project (the `models` table) and in a model file.

Layout: the magic line `TAWSIM-NER`, the header's length (8 bytes, big-endian), the header (UTF-8 JSON: format
version, labels, metrics, training summary, the names it learnt as a gazetteer, the CRF's sha256), then the CRF
model itself (CRFsuite's own format). Reading checks each in turn, so a file from a newer Tawsim is refused by
its format number before anything else is read, and a truncated, altered or foreign file is a ModelFileError
naming the problem, never a crash inside the C library (which is only handed bytes whose checksum matches).
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .crf import Tagger
from .gazetteer import NameIndex

MAGIC = b"TAWSIM-NER\n"
FORMAT_VERSION = 1
_LEN = struct.Struct(">Q")


class ModelFileError(ValueError):
    """A model that cannot be used: not a model, damaged, or made by a newer Tawsim."""


@dataclass
class RecogniserModel:
    labels: list[str]
    crf: bytes
    names: NameIndex
    metrics: dict = field(default_factory=dict)
    trained_on: dict = field(default_factory=dict)
    created_at: str = ""
    format: int = FORMAT_VERSION

    def tagger(self) -> Tagger:
        return Tagger(self.crf, self.names)

    def summary(self) -> str:
        """One line: labels, the held-out F1 if measured, what it was trained on."""
        f1 = (self.metrics.get("micro") or {}).get("f1")
        quality = f"held-out entity F1 {f1:.3f}" if isinstance(f1, (int, float)) else "no held-out score"
        docs = self.trained_on.get("documents")
        return (f"{', '.join(self.labels)}; {quality}"
                + (f"; trained on {docs} document(s)" if docs is not None else ""))

    def to_bytes(self) -> bytes:
        header = {"format": self.format, "labels": self.labels, "metrics": self.metrics,
                  "trained_on": self.trained_on, "created_at": self.created_at or now(),
                  "names": self.names.to_list(), "crf_sha256": hashlib.sha256(self.crf).hexdigest(),
                  "crf_bytes": len(self.crf)}
        raw = json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8")
        return MAGIC + _LEN.pack(len(raw)) + raw + self.crf


def now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def from_bytes(data: bytes, where: str = "model") -> RecogniserModel:
    """The model in `data`, or ModelFileError saying what is wrong with it (`where` names the file)."""
    if not data.startswith(MAGIC):
        raise ModelFileError(f"{where}: not a Tawsim model file")
    pos = len(MAGIC)
    if len(data) < pos + _LEN.size:
        raise ModelFileError(f"{where}: damaged model file (truncated header)")
    (n,) = _LEN.unpack_from(data, pos)
    pos += _LEN.size
    if len(data) < pos + n:
        raise ModelFileError(f"{where}: damaged model file (truncated header)")
    try:
        header = json.loads(data[pos:pos + n].decode("utf-8"))
        fmt = header["format"]
    except (ValueError, KeyError, TypeError):
        raise ModelFileError(f"{where}: damaged model file (unreadable header)") from None
    if not isinstance(fmt, int) or fmt < 1:
        raise ModelFileError(f"{where}: damaged model file (format {fmt!r})")
    if fmt > FORMAT_VERSION:
        raise ModelFileError(f"{where}: the model was made by a newer Tawsim (model format {fmt}; this Tawsim "
                             f"reads format {FORMAT_VERSION} and older); upgrade Tawsim, or train it again here")
    crf = data[pos + n:]
    try:
        if len(crf) != header["crf_bytes"] or hashlib.sha256(crf).hexdigest() != header["crf_sha256"]:
            raise ModelFileError(f"{where}: damaged model file (the model's bytes do not match their checksum)")
        labels = [str(x) for x in header["labels"]]
        names = NameIndex.from_list(header["names"])
        model = RecogniserModel(labels, crf, names, dict(header.get("metrics") or {}),
                                dict(header.get("trained_on") or {}), str(header.get("created_at", "")), fmt)
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, ModelFileError):
            raise
        raise ModelFileError(f"{where}: damaged model file (header: {exc})") from None
    try:
        model.tagger().close()
    except (ValueError, OSError) as exc:
        raise ModelFileError(f"{where}: damaged model file ({exc})") from None
    return model


def read_model_file(path: str | Path) -> RecogniserModel:
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise ModelFileError(f"{path}: no such model file") from None
    except IsADirectoryError:
        raise ModelFileError(f"{path}: is a folder, not a model file") from None
    return from_bytes(data, str(path))


def model_name(explicit: Optional[str] = None) -> str:
    """The name a model is stored under in the project: `default` unless given."""
    return explicit or "default"
