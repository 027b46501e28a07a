from __future__ import annotations

import sys

from qbitrr_tui.cli import main

sys.exit(main())
