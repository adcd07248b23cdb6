"""voila.py, the configuration JSON cannot express, as Voilà reads it."""

from __future__ import annotations

import importlib
import os

from traitlets.config.loader import PyFileConfigLoader

from adass_survey.core.paths import project_root


def _config():
    return PyFileConfigLoader("voila.py", path=str(project_root())).load_config()


def test_kernels_use_unix_sockets_where_there_are_some() -> None:
    # TCP ports are chosen before a kernel binds them: 16 kernels starting at once lost one to a taken port
    expected = "ipc" if os.name == "posix" else "tcp"
    assert _config().KernelManager.get("transport", "tcp") == expected


def test_kernels_are_managed_by_the_capped_manager() -> None:
    config = _config()
    assert config.VoilaConfiguration.multi_kernel_manager_class == "adass_survey.serve.kernels.GraceKernelManager"


def test_a_page_is_validated_once_not_after_every_preprocessor(monkeypatch) -> None:
    # nbconvert checks the whole notebook against its schema after each of its dozen preprocessors, most of them
    # switched off: that was a sixth of the server's processor for each pool refill (once, and once more inside
    # nbconvert's own steps, is what is left)
    import nbformat
    from nbconvert.exporters import exporter as exporter_module
    from traitlets.config.loader import JSONFileConfigLoader

    from adass_survey.serve import app  # noqa: F401 - imports the voila package, which voila.py shadows here

    voila_exporter = importlib.import_module("voila.exporter").VoilaExporter
    config = JSONFileConfigLoader("voila.json", path=str(project_root())).load_config()
    checks: list[int] = []
    monkeypatch.setattr(exporter_module.nbformat, "validate", lambda *a, **k: checks.append(1))
    exporter = voila_exporter(config=config)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# A section")])
    exporter._preprocess(notebook, {"config_dir": ""})
    assert len(exporter._preprocessors) > 10 and len(checks) < len(exporter._preprocessors) // 3
