"""The ``deploy/`` recipe's Python half: nginx's configuration and supervisord's, from the recipe's templates.

``bash deploy/run.sh N`` starts N standalone Voilà processes on loopback ports and Debian's nginx in front of them,
under supervisord; it calls ``python -m adass_survey.serve.deploy`` to write ``nginx-conf`` (:func:`nginx_conf`, from
``deploy/nginx.conf.j2``) and ``supervisor-conf`` (:func:`supervisor_conf`, from ``deploy/supervisord.conf.j2``). The
templates are the configuration files as their readers know them; this module fills in the ports, the folders, the
names a page file and a section may have, and each static page's security policy.

**Which process gets which request.** A page is the same from any process (each renders it once,
:mod:`~adass_survey.serve.renders`), and no page keeps a kernel, so every request goes to the process with the
fewest requests in flight (``least_conn``). The static pages (``site/*.html``) and their files (``site/files/``) are
served by nginx from disk, without a Voilà process. A live page's files (``/adass/files/``) can come from any
process: they all write them to the same folder.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import jinja2

from ..core.paths import STATIC_FOLDER, project_root
from ..pages.files import FILE_NAME, STATIC_FILES
from ..pages.nav import SECTION_STEM
from ..pages.policy import page_policy


def fill_template(name: str, **values) -> str:
    """Return the recipe's template ``deploy/<name>`` filled in with ``values`` (every name it uses must be given).

    Examples
    --------
    >>> fill_template("supervisord.conf.j2", run="/srv/run", root="/srv", programs=[]).splitlines()[1]
    '[supervisord]'
    """
    loader = jinja2.FileSystemLoader(str(project_root() / "deploy"))
    env = jinja2.Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env.get_template(name).render(**values)


def static_policies(site_dir: Path) -> dict[str, str]:
    """Return the content-security policy of each static page in ``site_dir``, by file name.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "index.html").write_text("<p>index</p>")
    >>> static_policies(folder)["index.html"].startswith("default-src 'none'; script-src 'none'")
    True
    """
    return {page.name: page_policy(page.read_text(encoding="utf-8")) for page in sorted(site_dir.glob("*.html"))}


def nginx_conf(
    listen: str,
    backends: list[int],
    site_dir: Path,
    run_dir: Path,
    user: str | None = None,
    policies: dict[str, str] | None = None,
) -> str:
    """Return an nginx configuration that fronts the Voilà processes on ``backends`` (loopback ports).

    Parameters
    ----------
    listen : str
        ``host:port`` nginx listens on.
    backends : list of int
        Ports of the Voilà processes on 127.0.0.1.
    site_dir : Path
        Folder of the static pages (``notebooks/site``), served from disk.
    run_dir : Path
        Folder for nginx's pid file, logs and temporary files.
    user : str, optional
        User nginx's workers run as, when it is started by root.
    policies : dict, optional
        Each static page's content-security policy, by file name (:func:`static_policies`; default: read from
        ``site_dir``).

    Examples
    --------
    >>> conf = nginx_conf("127.0.0.1:8866", [8867, 8868], Path("/srv/site"), Path("/srv/run"))
    >>> "least_conn;" in conf, "server 127.0.0.1:8868 max_fails=0;" in conf
    (True, True)
    """
    if not backends or any(not 0 < port < 65_536 for port in backends):
        raise ValueError(f"backend ports must be between 1 and 65535: {backends}")
    return fill_template(
        "nginx.conf.j2",
        listen=listen,
        backends=backends,
        site_dir=site_dir.as_posix(),
        site_url=f"/voila/files/{STATIC_FOLDER}",
        files=STATIC_FILES,
        page_file=FILE_NAME,
        section_stem=SECTION_STEM,
        policies=static_policies(site_dir) if policies is None else policies,
        run=run_dir.as_posix(),
        user=user,
    )


def supervisor_conf(
    root: Path, run_dir: Path, python: str, backends: list[int], notebooks: str, extra: list[str]
) -> str:
    """Return supervisord's configuration: one Voilà process per backend port and nginx, each restarted when it dies.

    Examples
    --------
    >>> conf = supervisor_conf(Path("/srv"), Path("/srv/run"), "python", [8867], "notebooks", [])
    >>> "[program:voila-8867]" in conf, "--port 8867" in conf, "[program:nginx]" in conf
    (True, True, True)
    """
    run = run_dir.as_posix()
    serve = f"{python} -m adass_survey serve --no-prepare --host 127.0.0.1"
    programs = [
        (f"voila-{port}", " ".join([f"{serve} --port {port} --notebooks {notebooks}", "--", *extra]))
        for port in backends
    ]
    programs.append(("nginx", f"/usr/sbin/nginx -p {run} -c {run}/nginx.conf -e {run}/error.log"))
    return fill_template("supervisord.conf.j2", run=run, root=root.as_posix(), programs=programs)


def main(argv: list[str] | None = None) -> int:
    """Write nginx's configuration (``nginx-conf``) or supervisord's (``supervisor-conf``); return 0.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "supervisord.conf"
    >>> main(["supervisor-conf", "--backends", "8867,8868", "--notebooks", "notebooks", "--run", str(out.parent),
    ...       "--out", str(out)]), out.read_text().count("[program:voila-")
    (0, 2)
    """
    parser = argparse.ArgumentParser(prog="python -m adass_survey.serve.deploy", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    conf = sub.add_parser("nginx-conf", help="write nginx's configuration")
    conf.add_argument("--listen", required=True)
    conf.add_argument("--backends", required=True, help="comma-separated loopback ports of the Voilà processes")
    conf.add_argument("--site", type=Path, required=True)
    conf.add_argument("--run", type=Path, required=True)
    conf.add_argument("--user", default=None)
    conf.add_argument("--out", type=Path, required=True)
    sup = sub.add_parser("supervisor-conf", help="write supervisord's configuration")
    sup.add_argument("--backends", required=True)
    sup.add_argument("--notebooks", required=True)
    sup.add_argument("--run", type=Path, required=True)
    sup.add_argument("--out", type=Path, required=True)
    sup.add_argument("extra", nargs="*", help="options passed to every Voilà process")
    args = parser.parse_args(argv)
    backends = [int(port) for port in args.backends.split(",") if port]
    if args.command == "supervisor-conf":
        conf = supervisor_conf(project_root(), args.run.resolve(), sys.executable, backends, args.notebooks, args.extra)
    else:
        conf = nginx_conf(args.listen, backends, args.site.resolve(), args.run.resolve(), args.user)
    args.out.write_text(conf, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
