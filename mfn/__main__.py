"""``python -m mfn``: the same as the ``mfn`` command."""

from mfn.cli import main

raise SystemExit(main())
