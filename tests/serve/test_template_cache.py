"""Page templates are compiled once per server process, and an edited template still shows at the next page."""

from __future__ import annotations

from pathlib import Path

import jinja2
import nbformat
import pytest
from nbconvert import HTMLExporter
from nbconvert.exporters.templateexporter import TemplateExporter
from traitlets.config.loader import PyFileConfigLoader

from adass_survey.core.paths import project_root
from adass_survey.serve import template_cache

from .event_loop import run_on_own_thread


@pytest.fixture
def compiles(monkeypatch) -> list[str]:
    """Share compiled templates for this test only, starting empty, and record every template Jinja compiles."""
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    monkeypatch.setattr(TemplateExporter, "_create_environment", TemplateExporter._create_environment)
    monkeypatch.setattr(template_cache, "SHARED_CACHE", template_cache.SharedBytecodeCache())
    template_cache.share_compiled_templates()
    return compiled


def _notebook() -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# A section\n\nThe short answer.")])


def test_a_second_page_compiles_no_template(compiles: list[str]) -> None:
    first, _ = HTMLExporter(template_name="lab").from_notebook_node(_notebook())
    assert len(compiles) > 5, "nbconvert's lab template is a chain of templates"
    compiles.clear()
    second, _ = HTMLExporter(template_name="lab").from_notebook_node(_notebook())
    assert compiles == [], "a new exporter compiled the templates again"
    assert "The short answer." in second
    assert first.count("<div") == second.count("<div")


def test_an_edited_template_shows_at_the_next_page(compiles: list[str], tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "conf.json").write_text('{"base_template": "lab"}', encoding="utf-8")
    page = folder / "index.html.j2"
    page.write_text("{%- extends 'lab/index.html.j2' -%}{% block body_header %}OLD HEADER{% endblock %}")
    exporter = dict(template_name="mine", extra_template_basedirs=[str(tmp_path)])
    assert "OLD HEADER" in HTMLExporter(**exporter).from_notebook_node(_notebook())[0]
    page.write_text("{%- extends 'lab/index.html.j2' -%}{% block body_header %}NEW HEADER{% endblock %}")
    edited = HTMLExporter(**exporter).from_notebook_node(_notebook())[0]
    assert "NEW HEADER" in edited and "OLD HEADER" not in edited


def test_asynchronous_and_plain_environments_keep_their_own_code(compiles: list[str]) -> None:
    loader = jinja2.DictLoader({"page": "{% for x in items %}{{ x }}{% endfor %}"})
    cache = template_cache.SHARED_CACHE
    plain = jinja2.Environment(loader=loader, bytecode_cache=cache)
    assert plain.get_template("page").render(items=[1, 2]) == "12"
    both = jinja2.Environment(loader=loader, bytecode_cache=cache, enable_async=True)
    # (rendered on a thread of its own: the browser tests' Playwright keeps an event loop on this one)
    assert run_on_own_thread(both.get_template("page").render_async(items=[1, 2])) == "12"
    assert len(cache) == 2 and compiles == ["page", "page"]


def test_voila_py_shares_compiled_templates(monkeypatch) -> None:
    monkeypatch.setattr(TemplateExporter, "_create_environment", template_cache._ORIGINAL_CREATE)  # nbconvert's own
    assert HTMLExporter(template_name="lab").environment.bytecode_cache is None
    PyFileConfigLoader("voila.py", path=str(project_root())).load_config()
    assert HTMLExporter(template_name="lab").environment.bytecode_cache is template_cache.SHARED_CACHE
