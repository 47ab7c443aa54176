"""Search page: the storage layer's search, narrowed by regime and topic."""
from comparator import store
from tests.ui.conftest import rerun, run_page
from ui import state


def test_asks_for_words_first(db_url):
    at = run_page("search")
    assert [i.value for i in at.info] == ["Type a word or a phrase to search the loaded rules."]


def test_finds_provisions_by_their_words(db_url):
    at = run_page("search")
    at.text_input(key=state.SEARCH_TEXT).input("computing facilities")
    rerun(at)
    found = at.dataframe[0].value.Provision.tolist()
    assert found == [h.citation for h in store.search_provisions("computing facilities", db_url)]
    assert {"CPTPP 14.13.2", "RCEP 12.14.2"} <= set(found)
    assert at.subheader[0].value == f"{len(found)} provision(s) matching “computing facilities”"


def test_filters_by_regime_and_topic(db_url):
    at = run_page("search")
    at.text_input(key=state.SEARCH_TEXT).input("transfer")
    at.multiselect(key=state.SEARCH_REGIMES).set_value(["CPTPP", "DEPA"])
    rerun(at)
    table = at.dataframe[0].value
    assert set(r.split()[0] for r in table.Provision) == {"CPTPP", "DEPA"}
    at.multiselect(key=state.SEARCH_TOPICS).set_value(["data_flows.cross_border_transfer"])
    rerun(at)
    table = at.dataframe[0].value
    assert "CPTPP 14.11.2" in table.Provision.tolist()
    assert all("data_flows.cross_border_transfer" in t for t in table.Topics)


def test_no_match_says_zero(db_url):
    at = run_page("search")
    at.text_input(key=state.SEARCH_TEXT).input("zzz-no-such-words")
    rerun(at)
    assert at.subheader[0].value.startswith("0 provision(s) matching")
    assert not at.dataframe
