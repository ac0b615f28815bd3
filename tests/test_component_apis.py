"""The private Streamlit APIs that tests/component.py relies on are still there."""

from tests import component


def test_the_private_streamlit_apis_the_component_tests_use_are_there():
    missing = component.private_apis_missing()
    assert not missing, (
        f"Streamlit {component.version()} no longer has {', '.join(missing)}, which "
        "tests/component.py uses to drive hipdash's components from AppTest: adapt that "
        "module to the new version (its docstring says what each is for)"
    )


def test_the_check_names_each_api_it_looks_for():
    # the check can fail: with the trigger id gone, it is named
    saved = component._make_trigger_id
    component._make_trigger_id = None
    try:
        assert component.private_apis_missing() == ["_make_trigger_id"]
    finally:
        component._make_trigger_id = saved
