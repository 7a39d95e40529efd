"""Modules imported on their first use instead of by whoever imports them first, and modules an import finds missing.

GX's KL-divergence expectation imports scipy.stats and altair at its top and uses them only in its methods;
GX imports every core expectation, so `import great_expectations` paid for both (half of its 1.85 s of processor
time) though mubiao's suites never use that expectation. A deferred module is a module object in sys.modules
with its spec and none of its code run: `import altair` and `from scipy import stats` bind it, and its first
missing attribute runs its code in place, in that same object, as an import would have.

Not the standard library's `importlib.util.LazyLoader`: on Python 3.11 its module runs its code at any attribute
read, `__spec__` included, which the import system reads at every later `import` of it (CPython gh-127036), so
GX's own import would have loaded both; and a second thread could read the module before its code had run
(gh-114763, fixed in 3.12.3).
"""

from __future__ import annotations

import contextlib
import importlib.util
import sys
import threading
import types
from collections.abc import Iterator

_loading = threading.RLock()
"""One thread runs a deferred module's code; another that asks for it meanwhile waits, as for an import."""


class _Deferred(types.ModuleType):
    """A module whose code has not run: the first attribute it lacks runs it (not __getattribute__, which every
    `import` of it would trip over when the import system reads its __spec__)."""

    def __getattr__(self, name: str) -> object:
        with _loading:
            if type(self) is _Deferred and not self.__dict__.get("__deferred_running__"):
                self.__deferred_running__ = True  # the module's own code, asking for a name it lacks, gets none
                try:
                    self.__spec__.loader.exec_module(self)
                    self.__class__ = types.ModuleType
                finally:
                    del self.__deferred_running__
            if type(self) is _Deferred:
                raise AttributeError(f"module {self.__name__!r} has no attribute {name!r} (it is being imported)")
        return getattr(self, name)


def defer(name: str) -> None:
    """`name` imported on its first use; nothing if it is imported already, or not installed."""
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)  # imports the parent package, which is cheap for the two deferred
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    module.__class__ = _Deferred
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    if parent:  # `from scipy import stats` reads the parent's attribute before it imports anything
        setattr(sys.modules[parent], child, module)


@contextlib.contextmanager
def unseen(names: tuple[str, ...]) -> Iterator[None]:
    """`names` missing to any import in the block, as if not installed: for a library's optional dependency that is
    installed for another's sake. One already imported is left as it is."""
    hidden = [name for name in names if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # the import system's mark of a module that cannot be imported
    try:
        yield
    finally:
        for name in hidden:
            if sys.modules.get(name, False) is None:
                del sys.modules[name]
