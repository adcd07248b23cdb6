"""Voilà configuration that JSON cannot express; every other setting is in voila.json beside this file.

Voilà reads both files from the folder it is started in (scripts/serve.sh starts it at the repository root).
"""

import os

from adass_survey.serve.nav import voila_page_config_hook
from adass_survey.serve.template_cache import share_compiled_templates

# previous / next / index links and the synthetic-data notice for the template (share/jupyter/voila/templates/adass)
c.VoilaConfiguration.page_config_hook = voila_page_config_hook  # noqa: F821 - `c` is provided by traitlets

# Each page's templates are compiled once per server, not once per page (adass_survey/serve/template_cache.py).
share_compiled_templates()

# A hard cap on live kernels (GraceKernelManager.kernel_cap in voila.json, or $ADASS_KERNEL_CAP), and idle culling
# that gives a kernel handed to a reader one timeout to connect (see adass_survey/serve/kernels.py). The static-copy
# fallback for readers who would otherwise wait is the page handler of `python -m adass_survey serve`
# (adass_survey/serve/app.py), which scripts/serve.sh runs.
c.VoilaConfiguration.multi_kernel_manager_class = "adass_survey.serve.kernels.GraceKernelManager"  # noqa: F821

# Kernels talk to the server over Unix sockets where there are some. A TCP port is chosen by the server before the
# kernel binds it, so with a pool of 16 kernels starting at once another process could take one first ("Address
# already in use"): that kernel died, and the reader given it got a page cut short.
if os.name == "posix":
    c.KernelManager.transport = "ipc"  # noqa: F821
