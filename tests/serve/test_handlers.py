"""The page handler installed into Voilà: by the environment's voila.py, into Voilà's own handlers, loudly or not at all.

Voilà has no setting for its handlers, so ``use_adass_handlers`` wraps its public ``Voila.init_handlers``
(``docs/upstream-voila-handlers.md`` asks Voilà for a hook). These tests fail if a Voilà release changes what is
wrapped: the method's name, or its page handler class.
"""

from __future__ import annotations

import filecmp
import json
import subprocess
import sys
from pathlib import Path

import pytest
from tornado.web import RequestHandler

from adass_survey.core.paths import project_root

ROUTES = """
import json, sys
import tornado.web
from voila.app import Voila
app = Voila()
app.initialize([sys.argv[1], "--no-browser"])
app.app = tornado.web.Application(**app.init_settings())
routes = {rule[0]: rule[1].__name__ for rule in app.init_handlers()}
hook = app.voila_configuration.page_config_hook
print(json.dumps({"routes": routes, "hook": getattr(hook, "__name__", None)}))
"""


def test_the_environments_voila_py_is_the_repositorys() -> None:
    installed = Path(sys.prefix) / "etc" / "jupyter" / "voila.py"
    assert installed.is_file(), "pip install -e . installs etc/jupyter/voila.py into the environment"
    assert filecmp.cmp(installed, project_root() / "etc" / "jupyter" / "voila.py", shallow=False), (
        "the environment's voila.py is out of date: run pip install -e ."
    )


def test_plain_voila_anywhere_gets_the_page_handler_and_the_navigation(tmp_path) -> None:
    # Run outside the repository: the settings come from the environment, not from the folder Voilà starts in.
    run = subprocess.run(
        [sys.executable, "-c", ROUTES, str(project_root() / "notebooks")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["routes"]["/voila/render/(.*)"] == "RenderedPageHandler"
    assert seen["routes"]["/voila/files/(.*)"] == "PolicyFileHandler"
    assert not any("api/contents" in route or "logout" in route for route in seen["routes"])
    assert seen["hook"] == "voila_page_config_hook"


def test_the_handlers_refuse_a_voila_without_its_page_handler() -> None:
    from types import SimpleNamespace

    from tornado.web import Application

    from adass_survey.serve.app import adass_handlers

    app = SimpleNamespace(app=Application(), server_url="/", root_dir="notebooks", notebook_path=None)
    with pytest.raises(RuntimeError, match="page handler"):
        adass_handlers(app, [("/voila/render/(.*)", RequestHandler, {})])


def test_the_repository_root_holds_no_voila_py() -> None:
    # A voila.py there is imported instead of the voila package by anything run from the root.
    assert not (project_root() / "voila.py").exists()
    run = subprocess.run(
        [sys.executable, "-c", "import voila.app, sys; print(voila.app.__file__)"],
        capture_output=True,
        text=True,
        cwd=project_root(),
        timeout=60,
    )
    assert run.returncode == 0 and "site-packages" in run.stdout, run.stdout + run.stderr
