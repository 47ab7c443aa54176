"""Overview page: counts, the coverage heatmap, and the provisions behind a cell."""
import json

import pyarrow as pa

from comparator import store
from comparator.compare import compare
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import ROOT, rerun, run_page
from ui import state
from ui.common import quote_block

# One regime per top-level rule file (vocabulary/ and expectations/ are subfolders).
REGIME_FILES = len(list((ROOT / "rules").glob("*.dtr")))


def test_counts_match_the_database(db_url):
    at = run_page("overview")
    metrics = {m.label: m.value for m in at.metric}
    regimes = store.list_regimes(db_url)
    assert metrics["Regimes"] == str(len(regimes)) == str(REGIME_FILES)
    assert metrics["Provisions"] == str(sum(r.provisions for r in regimes))
    assert int(metrics["Conflicts between regimes"]) > 0


def test_heatmap_has_one_cell_per_regime_and_topic(db_url):
    at = run_page("overview")
    (chart,) = at.get("vega_lite_chart")
    assert list(chart.proto.selection_mode) == ["cell"]  # the click selection the page listens to
    cells = pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_all().to_pandas()
    corpus = store.load_corpus_from_db(db_url)
    rows = compare(corpus, sorted(corpus.regimes)).rows
    assert len(cells) == len(rows) * len(corpus.regimes)
    cptpp = cells[(cells.regime == "CPTPP") & (cells.topic == "localisation.computing_facilities")].iloc[0]
    assert (cptpp.status, cptpp.mark) == ("binding", "B")
    assert set(cells.status) <= {"binding", "best_endeavour", "recognition", "absent", "not_encoded"}


def test_heatmap_shows_not_encoded_apart_from_absent(db_url):
    at = run_page("overview")
    (chart,) = at.get("vega_lite_chart")
    cells = pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_all().to_pandas()
    # rules/depa.dtr declares 6.3 not encoded (no words in the source); DEPA has no source-code article.
    depa = cells[cells.regime == "DEPA"].set_index("topic")
    assert (depa.loc["consumer_protection.online", "status"], depa.loc["consumer_protection.online", "mark"]) == (
        "not_encoded", "n/e")
    assert (depa.loc["source_code.disclosure", "status"], depa.loc["source_code.disclosure", "mark"]) == ("absent", "")
    spec = json.loads(chart.proto.spec)
    scale = next(layer["encoding"]["color"]["scale"] for layer in spec["layer"] if "color" in layer.get("encoding", {}))
    colours = dict(zip(scale["domain"], scale["range"]))
    assert colours["not encoded"] != colours["absent"]
    assert "n/e not encoded" in "\n".join(c.value for c in at.caption)


def test_a_not_encoded_cell_says_it_is_not_a_missing_provision(db_url):
    at = run_page("overview")
    at.selectbox(key=state.OVERVIEW_REGIME).set_value("USMCA")
    at.selectbox(key=state.OVERVIEW_TOPIC).set_value("paperless_trading")
    rerun(at)
    (info,) = [i.value for i in at.info]
    assert info.startswith("Not encoded for USMCA") and "USMCA has no provision" not in info


def test_picking_a_cell_shows_its_provisions_and_quotes(db_url):
    at = run_page("overview")
    at.selectbox(key=state.OVERVIEW_REGIME).set_value("CPTPP")
    at.selectbox(key=state.OVERVIEW_TOPIC).set_value("data_flows.cross_border_transfer")
    rerun(at)
    text = "\n".join(m.value for m in at.markdown)
    quote = next(p.quote for p in store.find_provisions(db_url, topic="data_flows.cross_border_transfer", regime="CPTPP")
                 if p.ref == "14.11.2")
    assert "binding" in text
    assert "**CPTPP 14.11.2**" in text
    assert quote_block(quote) in text  # "Each Party shall allow the cross-border transfer of information ..."
    assert "14.11.3" in text  # the exception that qualifies it


def test_an_absent_cell_says_so(db_url):
    at = run_page("overview")
    at.selectbox(key=state.OVERVIEW_REGIME).set_value("US_CLOUD_ACT")
    at.selectbox(key=state.OVERVIEW_TOPIC).set_value("customs_duties.electronic_transmissions")
    rerun(at)
    assert [i.value for i in at.info] == ["US_CLOUD_ACT has no provision on this topic."]


def test_first_start_loads_the_bundled_rules_into_an_empty_database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    at = run_page("overview")
    assert {m.label: m.value for m in at.metric}["Regimes"] == str(REGIME_FILES)
    assert len(store.list_regimes(url)) == REGIME_FILES
    store.dispose_engine(url)


def test_the_entry_point_routes_to_the_overview(db_url):
    at = AppTest.from_file(str(ROOT / "ui" / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Digital trade rules: coverage"
    at.switch_page("views/compare.py").run()
    assert not at.exception
    assert at.title[0].value == "Compare regimes"


def test_a_corpus_of_hundreds_of_regimes_draws_the_first_ones_and_counts_every_one(tmp_path, monkeypatch):
    """Past HEATMAP_MAX regimes the chart draws those picked (the first ones by default): a chart
    of every regime is unreadable, and comparing every pair of them took minutes at 10k provisions."""
    from comparator.synth import write_corpus

    write_corpus(1_500, tmp_path / "corpus", seed=3)
    url = f"sqlite:///{tmp_path / 'big.sqlite'}"
    store.load_paths([tmp_path / "corpus"], url)
    monkeypatch.setenv("DATABASE_URL", url)
    loaded = store.list_regimes(url)
    assert len(loaded) > 60
    at = run_page("overview")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Regimes"] == str(len(loaded))
    assert "Conflicts (regimes drawn)" in metrics
    (picker,) = [m for m in at.multiselect if m.key == state.OVERVIEW_SHOWN]
    assert len(picker.value) == 60
    assert picker.value == [r.id for r in sorted(loaded, key=lambda r: (r.kind, r.id))][:60]  # by kind, then id
    assert drawn_regimes(at) == set(picker.value)
    # Picking fewer redraws the chart with those only.
    three = list(picker.value[:3])
    picker.set_value(three)
    rerun(at)
    assert drawn_regimes(at) == set(three)


def drawn_regimes(at: AppTest) -> set[str]:
    (chart,) = at.get("vega_lite_chart")
    return set(pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_all().column("regime").to_pylist())
