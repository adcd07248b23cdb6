"""Voilà configuration that JSON cannot express; every other setting is in voila.json beside this file.

Voilà reads both files from the folder it is started in (scripts/serve.sh starts it at the repository root).
"""

from adass_survey.serve.nav import voila_page_config_hook

# previous / next / index links and the synthetic-data notice for the template (share/jupyter/voila/templates/adass)
c.VoilaConfiguration.page_config_hook = voila_page_config_hook  # noqa: F821 - `c` is provided by traitlets

# Idle culling that gives a kernel taken from the preheated pool time for the reader's page to connect
# (otherwise the culler stops it at once: see adass_survey/voila_kernels.py).
c.VoilaConfiguration.multi_kernel_manager_class = "adass_survey.serve.kernels.GraceKernelManager"  # noqa: F821
