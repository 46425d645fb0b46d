"""Entry point: `tawsim COMMAND ...` runs a headless command; `tawsim [PROJECT.db]` opens the window."""
from __future__ import annotations

import sys
from typing import Optional, Sequence


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from .cli import COMMANDS, main as cli_main

    if argv and (argv[0] in COMMANDS or argv[0] in ("-h", "--help")):
        return cli_main(argv)
    from .ui.app import run  # Qt is imported only when a window is wanted

    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
