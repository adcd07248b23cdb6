"""Filter panel: labelled controls, live base, disclosure messages, untrusted input, friendly errors."""

import logging
import sys
import types
from pathlib import Path

import ipywidgets as w
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_suppress import cohort_frame  # noqa: E402

from adass_survey.present.widgets import ERROR_MESSAGE, FAULT_VALUE, INVALID_MESSAGE, FilterPanel  # noqa: E402


@pytest.fixture
def survey():
    df = cohort_frame()
    themes = pd.DataFrame({"respondent_id": df.respondent_id, "question_id": "risk_management", "theme": "risk_panels"})
    return types.SimpleNamespace(respondents=df, themes=themes)


class Recorder:
    def __init__(self):
        self.calls = []

    def __call__(self, respondents, themes, selection):
        self.calls.append((len(respondents), len(themes), dict(selection)))
        return f"{len(respondents)} councils"


def test_controls_are_labelled_dropdowns_with_reset(survey):
    panel = FilterPanel(survey, render=Recorder())
    assert set(panel.dropdowns) == {"council_type", "region_group"}
    for dd in panel.dropdowns.values():
        assert isinstance(dd, w.Dropdown) and dd.description and dd.tooltip
    assert panel.reset_button.description == "Reset filters"
    assert panel.base_label.value == "Showing all 58 councils (n = 58)"


def test_selecting_filters_redraws_with_filtered_data_and_base(survey):
    render = Recorder()
    panel = FilterPanel(survey, render=render)
    panel.dropdowns["council_type"].value = "county"
    assert render.calls[-1] == (17, 17, {"council_type": "county"})
    assert panel.base_label.value == "Showing 17 county councils (n = 17)"
    assert panel.output.outputs[-1]["data"]["text/plain"] == "'17 councils'"
    panel.reset_button.click()
    assert render.calls[-1][0] == 58 and panel.selection == {}


def test_small_group_shows_plain_message_not_render(survey):
    render = Recorder()
    panel = FilterPanel(survey, render=render)
    small = next(s for s in panel.plan.selections() if 0 < panel.plan.base(s) < 5)
    n_calls = len(render.calls)
    panel.select(**small)
    assert len(render.calls) == n_calls
    assert panel.message.startswith("Too few councils to show (fewer than 5)")
    assert "not shown" in panel.base_label.value
    assert not any(ch.isdigit() for ch in panel.base_label.value)


def test_invalid_value_from_client_resets_with_friendly_message(survey, caplog):
    panel = FilterPanel(survey, render=Recorder())
    panel.select(council_type="county")
    with caplog.at_level(logging.WARNING, logger="adass_survey.widgets"):
        panel.select(council_type="<script>alert(1)</script>")
    assert panel.selection == {} and panel.message == INVALID_MESSAGE
    assert "rejected" in caplog.text
    panel.select(not_a_dimension="x")
    assert panel.message == INVALID_MESSAGE


def test_render_exception_is_logged_and_page_shows_friendly_message(survey, caplog):
    def broken(respondents, themes, selection):
        if selection:
            raise KeyError("a column the notebook expected")
        return "ok"

    panel = FilterPanel(survey, render=broken)
    with caplog.at_level(logging.ERROR, logger="adass_survey.widgets"):
        panel.dropdowns["region_group"].value = "north"
    assert panel.message == ERROR_MESSAGE
    assert "Traceback" in caplog.text and "a column the notebook expected" in caplog.text
    shown = " ".join(str(o["data"]) for o in panel.output.outputs)
    assert "Traceback" not in shown and "KeyError" not in shown


def test_fault_injection_is_off_by_default_and_raises_when_on(survey, monkeypatch, caplog):
    panel = FilterPanel(survey, render=Recorder())
    assert FAULT_VALUE not in [v for _, v in panel.dropdowns["council_type"].options]
    monkeypatch.setenv("ADASS_FAULT_INJECTION", "1")
    panel = FilterPanel(survey, render=Recorder())
    with caplog.at_level(logging.ERROR, logger="adass_survey.widgets"):
        panel.dropdowns["council_type"].value = FAULT_VALUE
    assert panel.message == ERROR_MESSAGE and "FaultInjected" in caplog.text


def test_a_panel_filtering_by_an_answer_offers_its_options_and_refuses_mixing():
    from adass_survey.processed.survey import load_survey

    survey = load_survey()
    panel = FilterPanel(survey, ("take_up_band",))
    dropdown = panel.dropdowns["take_up_band"]
    assert [code for _, code in dropdown.options] == ["all", "below_60", "60_or_above", "insufficient"]
    assert dropdown.description == "Current take-up of personal budgets"
    panel.select(take_up_band="60_or_above")
    assert panel.base_label.value.startswith("Showing 23 councils answering") and "(n = 23)" in panel.base_label.value
    with pytest.raises(ValueError, match="only filter of its panel"):
        FilterPanel(survey, ("region_group", "take_up_band"))
