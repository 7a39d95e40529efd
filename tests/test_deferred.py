"""Deferred modules (foundation/deferred.py): imported by name, their code runs once, on first use, in any thread.
Unseen modules: missing to imports in a block, importable after it."""

from __future__ import annotations

import sys
import threading
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from mubiao.foundation.deferred import defer, unseen

HEAVY = """
import time
from deferred_demo import record

record.runs.append(__name__)
time.sleep(0.3)  # a slow import: a second thread asks for it meanwhile
VALUE = 42
"""


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """A package `deferred_demo` whose module `heavy` records each run of its code; the runs."""
    package = tmp_path / "deferred_demo"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "record.py").write_text("runs = []\n")
    (package / "heavy.py").write_text(HEAVY)
    monkeypatch.syspath_prepend(str(tmp_path))
    from deferred_demo import record

    yield record.runs
    for name in [name for name in sys.modules if name.startswith("deferred_demo")]:
        del sys.modules[name]


def test_a_deferred_module_runs_on_first_use_once(demo: list[str]) -> None:
    defer("deferred_demo.heavy")
    import deferred_demo.heavy as again
    from deferred_demo import heavy

    assert again is heavy and demo == [], "importing it binds the module without running it"
    assert heavy.VALUE == 42 and demo == ["deferred_demo.heavy"]
    assert heavy.VALUE == 42 and demo == ["deferred_demo.heavy"], "its code ran once"
    assert type(heavy) is types.ModuleType and sys.modules["deferred_demo.heavy"] is heavy
    with pytest.raises(AttributeError):
        heavy.missing  # noqa: B018  a name it lacks is still an AttributeError


def test_threads_asking_at_once_wait_for_one_run(demo: list[str]) -> None:
    defer("deferred_demo.heavy")
    from deferred_demo import heavy

    seen: list[object] = []
    threads = [threading.Thread(target=lambda: seen.append(heavy.VALUE)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [42] * 4 and demo == ["deferred_demo.heavy"]


def test_an_imported_or_missing_module_is_left_alone(demo: list[str]) -> None:
    import deferred_demo.heavy

    defer("deferred_demo.heavy")
    assert type(sys.modules["deferred_demo.heavy"]) is types.ModuleType and demo == ["deferred_demo.heavy"]
    defer("deferred_demo.nothing_here")
    assert "deferred_demo.nothing_here" not in sys.modules
    assert deferred_demo.heavy.VALUE == 42


def test_an_unseen_module_is_missing_in_the_block_only(demo: list[str]) -> None:
    with unseen(("deferred_demo.heavy",)), pytest.raises(ImportError):
        import deferred_demo.heavy  # noqa: F401
    from deferred_demo import heavy

    assert heavy.VALUE == 42 and demo == ["deferred_demo.heavy"], "imported as usual after the block"
    with unseen(("deferred_demo.heavy",)):
        from deferred_demo import heavy as again
    assert again is heavy, "one already imported is left as it is"


def test_gx_imported_without_sqlalchemy_validates_and_leaves_it_importable() -> None:
    """GX is imported in a process of its own, as the command imports it, so that nothing imported sqlalchemy before."""
    import subprocess

    code = (
        "import sys\n"
        "import pandas as pd\n"
        "from mubiao.pipelines.loading.validate import import_gx\n"
        "gx = import_gx()\n"
        "assert 'sqlalchemy' not in sys.modules, 'GX imported sqlalchemy'\n"
        "context = gx.get_context(mode='ephemeral')\n"
        "batch = context.data_sources.add_pandas('p').add_dataframe_asset('a').add_batch_definition_whole_dataframe('b')\n"
        "frame = pd.DataFrame({'x': [1, None, 3]})\n"
        "result = batch.get_batch(batch_parameters={'dataframe': frame}).validate(\n"
        "    gx.expectations.ExpectColumnValuesToNotBeNull(column='x'))\n"
        "assert not result.success and result.result['unexpected_count'] == 1\n"
        "import sqlalchemy\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr[-2000:]
