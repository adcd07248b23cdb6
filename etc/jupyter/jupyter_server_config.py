"""JupyterLab's settings for this project, read by every Jupyter server of the environment.

Installed into ``<environment>/etc/jupyter/`` (where Jupyter looks for configuration; it does not look in the folder
it is started from) by ``pip install -e .``, which ``scripts/setup.sh`` runs.
"""

# Containers, CI runners and shared analysis servers often run as root: JupyterLab starts there without --allow-root.
c.ServerApp.allow_root = True  # noqa: F821 - `c` is provided by traitlets

# Saving a notebook (Save, Run All then Save, the Voilà preview's "Render anyway") drops widget state, execution
# timings and the Python patch version, and makes widget view ids stable, exactly as scripts/strip_notebooks.py
# does: the repository's notebooks stay unchanged (git status stays clean).
c.ContentsManager.pre_save_hook = "adass_survey.core.notebook_clean.pre_save_hook"  # noqa: F821
