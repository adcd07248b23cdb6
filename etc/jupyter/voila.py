"""Voilà's settings that JSON cannot express, read by every Voilà of the environment; the others are in voila.json.

Installed into ``<environment>/etc/jupyter/`` (a folder Voilà reads its ``voila.py`` from) by ``pip install -e .``,
which ``scripts/setup.sh`` runs. It is not at the repository root: a ``voila.py`` there would be imported instead of
the voila package by anything run from the root (``python -m pytest``, ``python -m adass_survey serve``).
"""

from adass_survey.pages.nav import voila_page_config_hook
from adass_survey.serve.app import use_adass_handlers

# previous / next / index links and the synthetic-data notice for the template (share/jupyter/voila/templates/adass)
c.VoilaConfiguration.page_config_hook = voila_page_config_hook  # noqa: F821 - `c` is provided by traitlets

# Each page rendered once per version of its notebook and of the views catalogue, every reader given that render;
# the security headers of every route; 404 for routes no page uses (adass_survey/serve/app.py). Voilà has no setting
# for its handlers: this wraps its list of them, so plain `voila` serves as `python -m adass_survey serve` does.
use_adass_handlers()

# Kernels talk to the server over Unix sockets where there are some: no TCP port on 127.0.0.1 for another local
# process to reach, and no port chosen before the kernel binds it (which another process could take first).
if __import__("os").name == "posix":
    c.KernelManager.transport = "ipc"  # noqa: F821
