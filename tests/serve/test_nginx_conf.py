"""The nginx configuration of the deploy recipe names page files and sections as the library does."""

from __future__ import annotations

import re
from pathlib import Path

from adass_survey.pages.files import FILE_NAME
from adass_survey.pages.nav import SECTION_PATTERN
from adass_survey.serve.deploy import nginx_conf

from .test_voila_config import PAGE_FILE_CANDIDATES

SECTION_CANDIDATES = ["07-restrictions", "00-index", "7-restrictions", "107-restrictions", "07-a.b", "07-", "xx-a"]


def _regexes(conf: str) -> list[re.Pattern]:
    """Each quoted regular expression of a ``location ~`` or ``if (... ~ ...)`` line, as Python reads it."""
    found = re.findall(r'(?:location|\$uri) ~ "([^"]+)"', conf)
    return [re.compile(pattern.replace("(?<", "(?P<")) for pattern in found]


def _conf(tmp_path: Path) -> str:
    return nginx_conf("127.0.0.1:8866", [8867], tmp_path / "site", tmp_path / "run", policies={})


def test_nginx_serves_exactly_the_page_file_names(tmp_path: Path) -> None:
    files = [r for r in _regexes(_conf(tmp_path)) if "file" in r.groupindex]
    assert len(files) == 1, files
    for name in PAGE_FILE_CANDIDATES:
        served = files[0].fullmatch(f"/voila/files/site/files/{name}")
        assert (served is not None) is (re.fullmatch(FILE_NAME, name) is not None), name
        assert served is None or served["file"] == name


def test_nginx_sends_a_section_and_nothing_else_to_its_static_copy(tmp_path: Path) -> None:
    sections = [r for r in _regexes(_conf(tmp_path)) if "section" in r.groupindex]
    assert len(sections) == 1, sections
    for stem in SECTION_CANDIDATES:
        copied = sections[0].fullmatch(f"/voila/render/{stem}.ipynb")
        assert (copied is not None) is (SECTION_PATTERN.match(f"{stem}.ipynb") is not None), stem
        assert copied is None or copied["section"] == stem
