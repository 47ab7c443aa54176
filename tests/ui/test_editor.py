"""Rule editor: `dtrc check`'s messages as you edit, a preview, and a one-click load."""
from typer.testing import CliRunner

from comparator import store
from comparator.cli import app
from tests.ui.conftest import ROOT, rerun, run_page
from ui import data, state

VALID = '''regime UI_TEST "A regime written in the editor" {
  kind: trade_agreement
  parties: GB, SG
  signed: 2024-01-01
}

article 1 "Transfers" {
  provision 1.1 {
    topic: data_flows.cross_border_transfer
    party must allow cross_border_transfer of information
    quote: "Each Party shall allow the cross-border transfer of information."
  }
}
'''


def _edit(at, text: str, name: str = "ui_test.dtr"):
    at.text_input(key=state.EDITOR_FILE_NAME).input(name)
    at.text_area(key=state.EDITOR_TEXT).input(text)
    return rerun(at)


def test_the_example_checks_clean_and_previews_its_provision(db_url):
    at = run_page("editor")
    assert [s.value for s in at.success] == ["No problems in rules/example.dtr."]
    preview = at.dataframe[0].value
    assert preview.Provision.tolist() == ["EXAMPLE 1.1"]
    assert preview.Norm.iloc[0] == "party must allow cross_border_transfer of information"
    assert not at.button(key=state.EDITOR_LOAD).disabled


def test_a_syntax_error_shows_line_column_and_hint_as_dtrc_check_does(db_url, tmp_path):
    at = _edit(run_page("editor"), VALID.replace("must allow", "must alow"))
    assert [e.value for e in at.error] == ["1 error(s), 0 warning(s) in rules/ui_test.dtr"]
    (row,) = at.dataframe[0].value.to_dict("records")
    assert (row["Line"], row["Column"], row["Code"]) == (10, 43, "E001")
    # The very text `dtrc check` prints for the same file.
    bad = tmp_path / "rules" / "ui_test.dtr"
    bad.parent.mkdir()
    (bad.parent / "vocabulary").symlink_to(data.BUNDLED_RULES / "vocabulary")
    bad.write_text(VALID.replace("must allow", "must alow"))
    cli = CliRunner().invoke(app, ["check", str(bad)])
    shown = at.code[0].value
    assert shown.startswith("rules/ui_test.dtr:10:43: error[E001]: unexpected \"of\"")
    assert shown.split(": ", 1)[1] in cli.output.replace(str(bad), "rules/ui_test.dtr")
    assert "hint: a norm reads" in shown
    assert at.button(key=state.EDITOR_LOAD).disabled


def test_an_unknown_term_is_checked_against_the_database_vocabulary(db_url):
    at = _edit(run_page("editor"), VALID.replace("of information", "of informaton"))
    (row,) = at.dataframe[0].value.to_dict("records")
    assert (row["Line"], row["Code"]) == (10, "E010")
    assert "information" in row["Hint"]  # did you mean ...


def test_a_valid_file_loads_into_the_database_with_one_click(writable_db_url):
    at = _edit(run_page("editor"), VALID)
    assert at.dataframe[0].value.Provision.tolist() == ["UI_TEST 1.1"]
    at.button(key=state.EDITOR_LOAD).click()
    rerun(at)
    assert f"rules/ui_test.dtr added (regime UI_TEST) in {store.display_url(store.get_engine(writable_db_url))}." in \
        [s.value for s in at.success]
    stored = store.get_regime("UI_TEST", writable_db_url)
    assert [p.ref for p in stored.provisions()] == ["1.1"]
    # Every page reads the new load at once: the overview counts it.
    bundled = len(list((ROOT / "rules").glob("*.dtr")))  # one regime per top-level rule file
    assert {m.label: m.value for m in run_page("overview").metric}["Regimes"] == str(bundled + 1)


def test_text_over_one_megabyte_is_refused(db_url):
    at = _edit(run_page("editor"), VALID + "#" * data.MAX_RULE_FILE_BYTES)
    assert [e.value for e in at.error] == [
        "The text is larger than 1 MB; rule files are limited to 1 MB. Split the instrument into several files."]
    assert not [b for b in at.button if b.key == state.EDITOR_LOAD]  # nothing to load


def test_file_names_cannot_leave_the_rules_folder(db_url):
    at = _edit(run_page("editor"), VALID, name="../../etc/passwd")
    assert [s.value for s in at.success] == ["No problems in rules/etc/passwd.dtr."]


def test_on_a_team_address_loading_needs_the_editor_token(writable_db_url, monkeypatch):
    monkeypatch.setenv(data.UI_ADDRESS_ENV, "0.0.0.0")
    monkeypatch.delenv(data.EDITOR_TOKEN_ENV, raising=False)
    at = _edit(run_page("editor"), VALID)
    at.button(key=state.EDITOR_LOAD).click()
    rerun(at)
    assert any("Loading is switched off: this app listens on 0.0.0.0" in e.value for e in at.error)
    assert "UI_TEST" not in [r.id for r in store.list_regimes(writable_db_url)]

    monkeypatch.setenv(data.EDITOR_TOKEN_ENV, "s3cret-token")
    at = _edit(run_page("editor"), VALID)
    at.text_input(key=state.EDITOR_TOKEN).input("wrong")
    at.button(key=state.EDITOR_LOAD).click()
    rerun(at)
    assert any("token is missing or wrong" in e.value for e in at.error)
    assert "UI_TEST" not in [r.id for r in store.list_regimes(writable_db_url)]

    at.text_input(key=state.EDITOR_TOKEN).input("s3cret-token")
    at.button(key=state.EDITOR_LOAD).click()
    rerun(at)
    assert "UI_TEST" in [r.id for r in store.list_regimes(writable_db_url)]


def test_loopback_needs_no_token():
    assert data.serves_loopback_only("127.0.0.1") and data.serves_loopback_only("::1")
    assert data.serves_loopback_only("localhost")
    assert not data.serves_loopback_only("0.0.0.0") and not data.serves_loopback_only("192.168.1.5")
    assert not data.serves_loopback_only("")


def test_the_size_limit_holds_at_the_limit_and_one_byte_over(db_url):
    # A comment line under the line limit, repeated to exactly MAX_RULE_FILE_BYTES bytes in all.
    line = "#" + "x" * 998 + "\n"
    body = VALID + line * ((data.MAX_RULE_FILE_BYTES - len(VALID)) // len(line))
    at_limit = body + "#" * (data.MAX_RULE_FILE_BYTES - len(body) - 1) + "\n"
    assert len(at_limit.encode("utf-8")) == data.MAX_RULE_FILE_BYTES
    at = _edit(run_page("editor"), at_limit)
    assert not at.error and [s.value for s in at.success] == ["No problems in rules/ui_test.dtr."]
    at = _edit(run_page("editor"), at_limit + "#")
    assert [e.value for e in at.error] == [
        "The text is larger than 1 MB; rule files are limited to 1 MB. Split the instrument into several files."]


def test_the_load_history_shows_the_new_load_first(writable_db_url):
    at = _edit(run_page("editor"), VALID)
    at.button(key=state.EDITOR_LOAD).click()
    rerun(at)
    table = at.expander[0].dataframe[0].value
    assert table["File"].iloc[0] == "rules/ui_test.dtr" and table["Action"].iloc[0] == "added"
    assert len(table) == len(store.load_history(writable_db_url, limit=200))
