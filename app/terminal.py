"""What the CLI prints reaches a terminal, and data does too: file names, document ids, label and annotator names
from files and bundles other people made. A control sequence in them (ESC [2J clears the screen, ESC ] 8 makes a
link, a bidi override reverses the rest of the line) would be obeyed by the terminal, so a bundle could hide a
warning or fake a success line. `terminal_text` escapes those characters; `terminal_output` applies it to
everything the CLI prints while a command runs, so no print can forget it.

Escapes are written `\\uXXXX`: readable, and still valid inside the JSON strings of `--json` output.
"""
from __future__ import annotations

import contextlib
import re
import sys
from typing import Iterator, TextIO

# C0 controls but tab and newline (our own line structure), DEL, C1 controls, the bidi controls (marks,
# embeddings, overrides, isolates) and the line/paragraph separators some terminals treat as newlines.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def terminal_text(text: str) -> str:
    """`text` with every terminal control and bidi control character written as a visible `\\uXXXX`."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class TerminalSafeStream:
    """A text stream that escapes what it writes with terminal_text; everything else goes to the wrapped one."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(terminal_text(text))

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


@contextlib.contextmanager
def terminal_output() -> Iterator[None]:
    """Within the block, sys.stdout and sys.stderr escape control characters (restored afterwards)."""
    with contextlib.redirect_stdout(TerminalSafeStream(sys.stdout)), \
            contextlib.redirect_stderr(TerminalSafeStream(sys.stderr)):
        yield
