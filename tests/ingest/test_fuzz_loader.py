"""Property tests: whatever bytes or cells an export holds, the build refuses it cleanly or accounts for every row.

The command line's ``main()`` is called in-process (fast). Properties: exit code 0 or 2; never a
traceback and never the "failed unexpectedly" message (an exception the code did not anticipate);
on success, rows in = clean + quarantined.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import export_factory as ef
from adass_survey.cli import main
from adass_survey.core.codebook import load_codebook

CB = load_codebook()
BASE_ROWS = ef.export_rows(CB, n=6, seed=1)
BASE = ef.to_csv_text(BASE_ROWS).encode("cp1252")
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _build(tmp_path, content: bytes, suffix: str = ".csv") -> tuple[int, str, str]:
    import contextlib
    import io

    raw = tmp_path / f"fuzz{suffix}"
    raw.write_bytes(content)
    out = tmp_path / "out"
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["build", "--raw", str(raw), "--out", str(out)])
    return code, stdout.getvalue(), stderr.getvalue()


def _check(tmp_path, code: int, stdout: str, stderr: str) -> None:
    assert code in (0, 2), (code, stderr)
    assert "Traceback" not in stderr and "unexpectedly" not in stderr, stderr
    if code == 0:
        manifest = json.loads((tmp_path / "out" / "build_manifest.json").read_text(encoding="utf-8"))
        assert manifest["rows_in"] == manifest["rows_clean"] + manifest["rows_quarantined"]
        assert f"rows in {manifest['rows_in']:,} = clean {manifest['rows_clean']:,}" in stdout
    else:
        assert stderr.startswith("error: ") and "fuzz" in stderr


mutation = st.tuples(st.integers(0, len(BASE) - 1), st.integers(1, 40), st.binary(min_size=0, max_size=40))


@FUZZ
@given(mutations=st.lists(mutation, min_size=1, max_size=4))
def test_mutated_bytes_never_crash(tmp_path_factory, mutations):
    tmp_path = tmp_path_factory.mktemp("bytes")
    content = bytearray(BASE)
    for start, length, replacement in mutations:
        content[start : start + length] = replacement
    _check(tmp_path, *_build(tmp_path, bytes(content)))


@FUZZ
@given(data=st.data())
def test_random_cells_never_crash(tmp_path_factory, data):
    tmp_path = tmp_path_factory.mktemp("cells")
    rows = [list(r) for r in BASE_ROWS]
    alphabet = st.characters(codec="utf-8", exclude_categories=["Cs"])
    for _ in range(data.draw(st.integers(1, 6))):
        i = data.draw(st.integers(2, len(rows) - 1))
        j = data.draw(st.integers(0, len(rows[i]) - 1))
        rows[i][j] = data.draw(
            st.one_of(
                st.text(alphabet, max_size=30),
                st.sampled_from(
                    ["-1", "6", "London", "", "n/a", "1e308", "99999999999999999999", "\x00", '"', "\r", "approx 1,2,3"]
                ),
            )
        )
    if data.draw(st.booleans()):
        rows[data.draw(st.integers(2, len(rows) - 1))].append(data.draw(st.text(alphabet, max_size=5)))
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8-sig"]))
    delimiter = data.draw(st.sampled_from([",", ";"]))
    _check(tmp_path, *_build(tmp_path, ef.to_csv_text(rows, delimiter).encode(encoding)))


@settings(max_examples=10, deadline=None)
@given(content=st.binary(max_size=300))
def test_arbitrary_bytes_are_refused_or_built(tmp_path_factory, content):
    tmp_path = tmp_path_factory.mktemp("any")
    _check(tmp_path, *_build(tmp_path, content))
