"""Voilà configuration that JSON cannot express; every other setting is in voila.json beside this file.

Voilà reads both files from the folder it is started in (scripts/serve.sh starts it at the repository root).
"""

import os

from adass_survey.serve.app import use_adass_handlers
from adass_survey.serve.nav import voila_page_config_hook
from adass_survey.serve.template_cache import share_compiled_templates

# previous / next / index links and the synthetic-data notice for the template (share/jupyter/voila/templates/adass)
c.VoilaConfiguration.page_config_hook = voila_page_config_hook  # noqa: F821 - `c` is provided by traitlets

# Each page's templates are compiled once per server, not once per page (adass_survey/serve/template_cache.py).
share_compiled_templates()

# The page handler that gives a reader the static copy rather than a wait, drops query arguments and sends each page's
# security policy; the headers of every route; 404 for routes no page uses (adass_survey/serve/app.py). Voilà has no
# setting for its handlers: this wraps its list of them, so plain `voila` serves as `python -m adass_survey serve`.
use_adass_handlers()

# A hard cap on live kernels (GraceKernelManager.kernel_cap in voila.json, or $ADASS_KERNEL_CAP), and idle culling
# that gives a kernel handed to a reader one timeout to connect (see adass_survey/serve/kernels.py).
c.VoilaConfiguration.multi_kernel_manager_class = "adass_survey.serve.kernels.GraceKernelManager"  # noqa: F821

# Kernels talk to the server over Unix sockets where there are some. A TCP port is chosen by the server before the
# kernel binds it, so with a pool of 16 kernels starting at once another process could take one first ("Address
# already in use"): that kernel died, and the reader given it got a page cut short.
if os.name == "posix":
    c.KernelManager.transport = "ipc"  # noqa: F821
