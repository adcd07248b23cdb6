"""voila.py, the configuration JSON cannot express, as Voilà reads it."""

from __future__ import annotations

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
