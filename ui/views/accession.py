"""Accession: what a country would have to change to join one or more agreements.

One call to ``comparator.accession.accession`` (cached in ui.data); the downloads are the
bytes `dtrc accession COUNTRY AGREEMENT... --format FMT -o FILE` writes. The query string
(``?country=CN&agreements=CPTPP,DEPA&as_of=2026-06-01``) holds the choice, so a copied link
opens the same view. The chart only counts the rows' verdicts; it decides nothing.
"""
import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from comparator.model.accession import ACCESSION_VERDICTS, VERDICT_WORDS
from ui import common, data, state

TREATY_KINDS = ("trade_agreement", "digital_economy_agreement")
VERDICT_COLOURS = {"compatible": "#2e7d32", "compatible_via_exception": "#e6a100", "requires_change": "#c0392b",
                   "cannot_tell": "#7e57c2"}
VERDICT_BADGE = {"compatible": "green", "compatible_via_exception": "orange", "requires_change": "red",
                 "cannot_tell": "violet"}
VERDICT_MEANINGS = {
    "compatible": "no domestic measure conflicts with the provision",
    "compatible_via_exception": "an exception written for the provision could cover the measure (subject to its tests)",
    "requires_change": "no exception written for the provision covers the measure",
    "cannot_tell": "a side is encoded from a paraphrase: check the instrument's text",
}


def verdict_badge(verdict: str) -> str:
    return f":{VERDICT_BADGE[verdict]}-background[{VERDICT_WORDS[verdict]}]"


st.title("Accession")
st.caption("What would a country have to change to join an agreement? Each provision that would newly bind it, "
           "the domestic measures that conflict with it, what is new, and the room the agreement leaves.")
url, version = common.open_database()
regimes = common.guarded(data.regimes, url, version)
treaties = sorted(r.id for r in regimes if r.kind in TREATY_KINDS)
countries = sorted({c for r in regimes for c in (*r.parties, *r.jurisdiction)})

# The query string seeds the widgets once per session; afterwards the widgets write it back.
params = st.query_params
if state.ACCESSION_COUNTRY not in st.session_state:
    wanted = params.get("country", "CN")
    st.session_state[state.ACCESSION_COUNTRY] = wanted if wanted in countries else countries[0]
    chosen = [a.strip() for a in params.get("agreements", "CPTPP").split(",") if a.strip() in treaties]
    st.session_state[state.ACCESSION_AGREEMENTS] = chosen or treaties[:1]
    try:
        st.session_state[state.ACCESSION_AS_OF] = dt.date.fromisoformat(params.get("as_of", ""))
    except ValueError:
        st.session_state[state.ACCESSION_AS_OF] = dt.date.today()

left, middle, right = st.columns([1, 2, 1])
country = left.selectbox("Country", countries, key=state.ACCESSION_COUNTRY, help="The country that would join.")
agreements = middle.multiselect("Agreement(s) to join", treaties, key=state.ACCESSION_AGREEMENTS,
                                help="One or more trade or digital economy agreements.")
as_of = right.date_input("As of", key=state.ACCESSION_AS_OF,
                         help="The country is assumed to be a party from this date.")
st.query_params.from_dict({"country": country, "agreements": ",".join(agreements), "as_of": as_of.isoformat()})
if not agreements:
    st.info("Choose at least one agreement.")
    st.stop()

report = common.guarded(data.accession, url, version, country, tuple(agreements), as_of)
s = report.summary
st.subheader(f"{country} joining {', '.join(agreements)} as of {as_of.isoformat()}")
if report.already_party:
    st.info(f"{country} is already a party to {', '.join(report.already_party)} before {as_of.isoformat()}: "
            "joining adds nothing.")

for column, verdict in zip(st.columns(len(ACCESSION_VERDICTS)), ACCESSION_VERDICTS):
    column.metric(VERDICT_WORDS[verdict].capitalize(), s.verdicts[verdict], help=VERDICT_MEANINGS[verdict])
for column, (name, value, why) in zip(st.columns(4), [
        ("Provisions", s.provisions, "provisions of the agreement(s) that would newly bind the country"),
        ("New conflicts", s.new_conflicts, "conflicts the country does not already have through another agreement"),
        ("Already bound", s.already_bound, "the same measure already conflicts with an equivalent commitment"),
        ("Out of scope", s.out_of_scope, "measures the provisions' own carve-outs keep out")]):
    column.metric(name, value, help=why)

st.markdown("**Download this accession report**")
stem = f"accession-{country}-{'-'.join(agreements)}"
for column, fmt in zip(st.columns(len(data.REPORT_FORMATS)), data.REPORT_FORMATS):
    column.download_button(
        data.REPORT_LABELS[fmt],
        data=lambda fmt=fmt: data.accession_report(url, version, country, tuple(agreements), as_of, fmt, dt.date.today()),
        file_name=f"{stem}.{fmt}", mime=data.REPORT_MIME[fmt], key=f"accession.download.{fmt}",
        on_click="ignore", icon=":material/download:")

if report.rows:
    counts = pd.DataFrame([{"topic": s.topic_labels.get(t, t), "verdict": VERDICT_WORDS[v], "provisions": n}
                           for t, per in s.topics.items() for v, n in per.items() if n])
    chart = alt.Chart(counts).mark_bar().encode(
        y=alt.Y("topic:N", title=None, sort=None, axis=alt.Axis(labelLimit=320)), x=alt.X("provisions:Q", title="Provisions", stack=True),
        color=alt.Color("verdict:N", title="Verdict",
                        scale=alt.Scale(domain=[VERDICT_WORDS[v] for v in ACCESSION_VERDICTS],
                                        range=[VERDICT_COLOURS[v] for v in ACCESSION_VERDICTS])),
        tooltip=[alt.Tooltip("topic:N", title="Topic"), alt.Tooltip("verdict:N", title="Verdict"),
                 alt.Tooltip("provisions:Q", title="Provisions")])
    st.altair_chart(chart.properties(height=max(160, 26 * len(s.topics))), width="stretch")

with st.expander("Assumptions and regimes in play"):
    st.markdown("\n".join(f"- {common.plain(a)}" for a in s.assumptions))
    st.caption("Regimes today: " + (", ".join(s.regimes_today) or "none")
               + " · after joining: " + (", ".join(s.regimes_after) or "none"))

# ---------------------------------------------------------------------------- rows
sources = common.source_links(url, version)




topic = None
for row in report.rows:
    if row.topic != topic:
        topic = row.topic
        st.subheader(row.topic_label)
    title = f"{row.provision} — {VERDICT_WORDS[row.verdict]}" + (f" ({row.exception})" if row.exception else "")
    with st.expander(title, expanded=row.verdict != "compatible"):
        st.markdown(verdict_badge(row.verdict) + " " + common.plain(row.reason))
        if not row.conflicts and row.quote:
            st.markdown(common.quote_block(row.quote))
        for c in row.conflicts:
            ours, theirs = (c.conflict.a, c.conflict.b) if c.conflict.a.provision == row.provision else (c.conflict.b, c.conflict.a)
            status = "new" if c.new else "already bound by " + ", ".join(c.already_bound_by)
            st.markdown(f"**{c.measure}** · {common.words(c.conflict.kind)} · {status} · "
                        + verdict_badge(c.verdict))
            a_col, b_col = st.columns(2)
            common.conflict_side(a_col, ours, sources)
            common.conflict_side(b_col, theirs, sources)
            st.markdown(f"**Why they conflict.** {common.plain(c.conflict.explanation)}")
        if row.room:
            st.markdown("**Room the agreement leaves**\n\n" + "\n".join(f"- {common.plain(r.words)}" for r in row.room))
        for o in row.out_of_scope:
            st.caption("Out of scope: " + common.plain(o.words))
        st.caption("Dispute settlement: " + common.plain(row.dispute_settlement_words))
        for p in row.precedents:
            st.caption("Precedent: " + common.plain(p.words))
