"""One compiled copy of each page template per server process.

nbconvert builds a new Jinja environment for every exporter, and Voilà makes an exporter for every page it renders:
each reader's page and each pool refill. Every render therefore parsed and compiled the whole template chain again
(Voilà's, nbconvert's and ours), which was the largest single cost of the server's processor while a crowd of
readers arrived (``benchmarks/README.md``). Jinja's bytecode cache is its own way to share compiled templates between
environments; nbconvert has no setting for it, so :func:`share_compiled_templates` gives each environment nbconvert
creates one in-memory cache for the process.

A template is found again by its name and file, and used only if its source is unchanged (Jinja keeps a checksum of
the source with the code): an edited template is compiled afresh at the next page. The code also depends on how the
environment compiles (Voilà's is asynchronous, a plain HTML export is not, and extensions add statements), so that is
part of the key too.
"""

from __future__ import annotations

from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket
from nbconvert.exporters.templateexporter import TemplateExporter


class SharedBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory and shared by every Jinja environment that uses this cache.

    Examples
    --------
    >>> from jinja2 import DictLoader
    >>> cache = SharedBytecodeCache()
    >>> first = Environment(loader=DictLoader({"page": "Hello {{ name }}"}), bytecode_cache=cache)
    >>> second = Environment(loader=DictLoader({"page": "Hello {{ name }}"}), bytecode_cache=cache)
    >>> first.get_template("page").render(name="reader"), len(cache)
    ('Hello reader', 1)
    >>> second.get_template("page").render(name="director"), len(cache)
    ('Hello director', 1)
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def __len__(self) -> int:
        return len(self._code)

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        """Return the cache entry of one template, keyed by how ``environment`` compiles as well as by its name."""
        return super().get_bucket(environment, f"{compiled_alike(environment)}|{name}", filename, source)

    def load_bytecode(self, bucket: Bucket) -> None:
        """Fill ``bucket`` with its compiled code, if any is kept (Jinja then checks the source's checksum)."""
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep a template's newly compiled code."""
        self._code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        """Forget every compiled template."""
        self._code.clear()


def compiled_alike(environment: Environment) -> str:
    """Return what decides the code a template compiles to in ``environment``, besides the template's source.

    Examples
    --------
    >>> compiled_alike(Environment()) == compiled_alike(Environment())
    True
    >>> compiled_alike(Environment()) == compiled_alike(Environment(enable_async=True))
    False
    """
    settings = (
        environment.is_async,
        sorted(environment.extensions),
        environment.optimized,
        environment.finalize is not None,
        environment.autoescape if isinstance(environment.autoescape, bool) else id(environment.autoescape),
        environment.newline_sequence,
        environment.keep_trailing_newline,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
    )
    return repr(settings)


SHARED_CACHE = SharedBytecodeCache()
_ORIGINAL_CREATE = TemplateExporter._create_environment


def _create_environment_with_shared_cache(self: TemplateExporter) -> Environment:
    environment = _ORIGINAL_CREATE(self)
    environment.bytecode_cache = SHARED_CACHE
    return environment


def share_compiled_templates() -> None:
    """Make every nbconvert exporter of this process (Voilà's included) use :data:`SHARED_CACHE`.

    Safe to call more than once. ``voila.py`` calls it, so both ``python -m adass_survey serve`` and plain
    ``voila NOTEBOOK`` render pages with it.

    Examples
    --------
    >>> from nbconvert import HTMLExporter
    >>> share_compiled_templates()
    >>> HTMLExporter().environment.bytecode_cache is SHARED_CACHE
    True
    """
    TemplateExporter._create_environment = _create_environment_with_shared_cache
