"""Overview: what the database holds, and a regime x topic coverage heatmap.

Each cell is the regime's position on the topic as ``comparator.compare`` computes it for
every loaded regime today (the same table as docs/coverage.md; cells only, no pairwise
verdicts). Past HEATMAP_MAX regimes the chart draws the ones picked above it. Clicking a cell, or picking
a regime and a topic below the chart, shows the provisions and the instrument's words.
"""
import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from comparator.model import Perspective
from ui import common, data, state

st.title("Digital trade rules: coverage")
url, version = common.open_database()

regimes = common.guarded(data.regimes, url, version)
kinds = {r.id: r.kind for r in regimes}
vocab = data.vocabulary(url, version)
# By kind, then id, as in docs/coverage.md: the regimes of a kind sit together.
regime_ids = tuple(sorted(kinds, key=lambda r: (kinds[r], r)))
today = dt.date.today()
coverage = common.guarded(data.coverage, url, version, regime_ids, today)

# A chart of every regime stops being readable (and a browser stops drawing it) long before a
# corpus of hundreds of regimes: past HEATMAP_MAX the chart shows those picked, the first ones by default.
HEATMAP_MAX = 60
counts = st.container()  # the counts come first on the page, though the last one depends on the pick
shown = regime_ids
if len(regime_ids) > HEATMAP_MAX:
    shown = tuple(st.multiselect(
        f"Regimes in the chart ({len(regime_ids):,} are loaded; at most {HEATMAP_MAX} are drawn at once)",
        regime_ids, default=list(regime_ids[:HEATMAP_MAX]), max_selections=HEATMAP_MAX, key=state.OVERVIEW_SHOWN,
        format_func=lambda r: f"{r} ({common.words(kinds[r])})")) or regime_ids[:HEATMAP_MAX]
everything = Perspective(kind="regimes", regimes=list(shown), as_of=today)
conflict_count = len(common.guarded(data.conflicts, url, version, everything.model_dump_json()).conflicts)

c1, c2, c3, c4 = counts.columns(4)
c1.metric("Regimes", len(regimes))
c2.metric("Provisions", sum(r.provisions for r in regimes))
c3.metric("Topics addressed", len(coverage.rows))
c4.metric("Conflicts between regimes" if shown == regime_ids else "Conflicts (regimes drawn)", conflict_count,
          help="Pairs of provisions that pull against each other for a country bound by both, across all "
               + ("loaded regimes" if shown == regime_ids else "the regimes drawn in the chart")
               + ", as of today. The Conflicts page narrows this to one country or actor.")

# ---------------------------------------------------------------------------- heatmap
# The letters of docs/coverage.md; "absent" stays blank so that gaps in the text stand apart
# from gaps in the corpus ("n/e": the rule file says the instrument's words are not encoded).
MARKS = {"binding": "B", "best_endeavour": "E", "recognition": "R", "absent": "", "not_encoded": "n/e"}
cells = pd.DataFrame([
    {"topic": row.topic, "label": row.label or row.topic, "regime": rid, "status": cell.status,
     "position": common.STATUS_LABELS[cell.status],
     "mark": MARKS[cell.status],
     "provisions": ", ".join(cell.provisions) or "none"}
    for row in coverage.rows for rid, cell in row.cells.items() if rid in shown])
statuses = list(common.STATUS_LABELS)
click = alt.selection_point(name="cell", fields=["regime", "topic"], on="click", clear="dblclick")
base = alt.Chart(cells).encode(
    x=alt.X("regime:N", sort=list(shown), title=None, axis=alt.Axis(orient="top", labelAngle=-45, labelOverlap=False)),
    # Rows read by topic label; the id is in the tooltip (topic ids are for rule authors).
    y=alt.Y("label:N", sort=[r.label or r.topic for r in coverage.rows], title=None,
            axis=alt.Axis(labelLimit=320, labelOverlap=False)),
)
rects = base.mark_rect(stroke="white", strokeWidth=1).encode(
    color=alt.Color("position:N", title="Position",
                    scale=alt.Scale(domain=[common.STATUS_LABELS[s] for s in statuses],
                                    range=["#" + common.STATUS_COLOURS[s] for s in statuses]),
                    legend=alt.Legend(orient="top")),
    opacity=alt.condition(click, alt.value(1.0), alt.value(0.45)),
    tooltip=[alt.Tooltip("regime:N", title="Regime"), alt.Tooltip("label:N", title="Topic"),
             alt.Tooltip("topic:N", title="Topic id"),
             alt.Tooltip("position:N", title="Position"), alt.Tooltip("provisions:N", title="Provisions")],
).add_params(click)
# The reports hatch "not encoded"; Vega-Lite has no fill patterns, so a dashed border in the
# hatch colour marks those cells instead, beside their own grey and the n/e letter.
hatch = base.transform_filter(alt.datum.status == "not_encoded").mark_rect(
    fill=None, stroke="#" + common.HATCH_COLOUR, strokeDash=[2, 2], strokeWidth=1)
# Letters as well as colours: the chart must read in greyscale and for colour-blind readers.
letters = base.mark_text(fontSize=11, color="#333333").encode(text="mark:N")
# A fixed step per cell, so every regime and topic keeps its label however many are loaded.
# SVG, not canvas: Streamlit switches a chart to canvas above 2,000 data values (27 regimes
# reach it), and canvas cells are neither in the accessibility tree nor addressable by tests.
chart = (rects + hatch + letters).properties(width=alt.Step(42), height=alt.Step(20),
                                             usermeta={"embedOptions": {"renderer": "svg"}})

st.subheader("Coverage: regime × topic")
st.caption("B binding (must / must not) · E best endeavour (should) · R recognition or permission only · "
           "n/e not encoded (grey, dashed border: the corpus does not hold the instrument's words on the topic) · "
           "blank: no provision. Click a cell to read its provisions and quotes, or pick a regime and a topic below.")
event = st.altair_chart(chart, on_select="rerun", selection_mode="cell", key=state.OVERVIEW_CHART, width="content")


def show_cell(regime: str, topic: str) -> None:
    """The regime's position on the topic, and every provision behind it with its quote and citation."""
    row = coverage.row(topic)
    cell = row.cells[regime]
    sources = common.source_links(url, version)
    st.markdown(f"**{regime}** on **{common.plain(row.label or topic)}** (`{topic}`): {common.status_badge(cell.status)}"
                + (f" — {common.STATUS_MEANINGS[cell.status]}" if cell.status != "absent" else ""))
    hits = common.guarded(data.provisions_on, url, version, topic, regime)
    norms = {p.ref: p.norm for p in data.corpus_of(url, version, (regime,)).regimes[regime].provisions()}
    if cell.status == "not_encoded":
        st.info(f"Not encoded for {regime}: the corpus does not hold its words on this topic (the rule file says so, "
                "or holds only unverified drafts), so this is not a finding that it has no provision.")
    elif not hits:
        st.info(f"{regime} has no provision on this topic.")
    for hit in hits:
        with st.container(border=True):
            st.markdown(common.citation_md(hit.citation, sources.get(regime), hit.path, hit.line)
                        + (f" — Article {hit.article}" + (f" *{common.plain(hit.article_title)}*" if hit.article_title else "")))
            norm = norms.get(hit.ref)
            if norm:
                st.markdown(common.norm_md(vocab, regime, norm.bearers, norm.modality, norm.stance, norm.action,
                                           norm.objects, norm.destinations))
            if hit.quote:
                common.show_quote(hit)
            else:
                st.caption("No verbatim quote: encoded from a paraphrase (unverified); check the instrument.")
    if cell.exceptions:
        st.markdown("**Exceptions:** " + "; ".join(
            f"{e.provision} {common.label(vocab, e.kind)}" + (f" [{common.labels(vocab, e.tests)}]" if e.tests else "")
            for e in cell.exceptions))


@st.dialog("Provisions behind the cell", width="large")
def cell_dialog(regime: str, topic: str) -> None:
    show_cell(regime, topic)


# A new click opens the cell in a dialog (the chart is taller than a screen, so details
# below it would be out of sight) and fills the pickers below, once per click, so that
# the pickers stay usable and a rerun does not reopen the dialog.
picked = (event.selection.get("cell") or [None])[0] if event else None
if picked and picked != st.session_state.get(state.OVERVIEW_LAST_CLICK):
    st.session_state[state.OVERVIEW_LAST_CLICK] = picked
    st.session_state[state.OVERVIEW_REGIME] = picked["regime"]
    st.session_state[state.OVERVIEW_TOPIC] = picked["topic"]
    cell_dialog(picked["regime"], picked["topic"])

# ---------------------------------------------------------------------------- one cell
st.subheader("Provisions behind a cell")
left, right = st.columns(2)
regime = left.selectbox("Regime", regime_ids, key=state.OVERVIEW_REGIME,
                        format_func=lambda r: f"{r} ({common.words(kinds[r])})")
topic = right.selectbox("Topic", [r.topic for r in coverage.rows], key=state.OVERVIEW_TOPIC,
                        format_func=lambda t: coverage.row(t).label or t,
                        help="Topics by label; the topic id is shown in code style beside the provisions.")
if regime and topic:
    show_cell(regime, topic)
