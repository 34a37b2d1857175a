"""``python -m kefu.switch.native_build [ensure|build|status|clean]``: the switch's native
build (see :mod:`kefu.switch.native`; a module of its own so ``-m`` runs it fresh)."""

import sys

from kefu.switch.native import main

if __name__ == "__main__":
    sys.exit(main())
