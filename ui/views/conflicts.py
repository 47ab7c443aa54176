"""Conflicts: where the regimes binding a country (or an actor, or a chosen set) pull against each other.

One call to ``comparator.checks.conflict_report`` with a
:class:`~comparator.model.Perspective` (cached in ui.data); the downloads are the bytes
`dtrc conflicts ... --format FMT -o FILE` writes. The network chart only lays out what
the report says (regimes as nodes, conflicts as edges); it decides nothing.
"""
import datetime as dt
import math

import altair as alt
import pandas as pd
import streamlit as st

from comparator import sentences as en
from comparator.model import Perspective
from comparator.report import SEVERITIES
from ui import common, data, state

# Starting points negotiators ask for most (the published report set covers the same ones).
PRESETS = {
    "United Kingdom (GB)": {"kind": "country", "country": "GB", "assume": []},
    "China (CN), assuming CPTPP and DEPA accession": {"kind": "country", "country": "CN", "assume": ["CPTPP", "DEPA"]},
    "Singapore (SG)": {"kind": "country", "country": "SG", "assume": []},
    "A cloud provider operating in the US and the EU": {"kind": "role", "role": "provider", "jurisdictions": ["US", "EU"]},
    "CPTPP and UK GDPR": {"kind": "regimes", "regimes": ["CPTPP", "UK_GDPR"]},
}
KIND_LABELS = {"country": "A country", "role": "An actor in jurisdictions", "regimes": "A set of regimes"}
TREATY_KINDS = ("trade_agreement", "digital_economy_agreement")


def apply_preset() -> None:
    """Fill the perspective widgets from the chosen preset (a callback: runs before they are drawn)."""
    preset = PRESETS.get(st.session_state.get(state.CONFLICTS_PRESET))
    if not preset:
        return
    st.session_state[state.CONFLICTS_KIND] = preset["kind"]
    st.session_state[state.CONFLICTS_COUNTRY] = preset.get("country", st.session_state.get(state.CONFLICTS_COUNTRY))
    st.session_state[state.CONFLICTS_ASSUME] = preset.get("assume", [])
    if "role" in preset:
        st.session_state[state.CONFLICTS_ROLE] = preset["role"]
        st.session_state[state.CONFLICTS_JURISDICTIONS] = preset["jurisdictions"]
    if "regimes" in preset:
        st.session_state[state.CONFLICTS_REGIMES] = preset["regimes"]


st.title("Conflicts")
url, version = common.open_database()
regimes = common.guarded(data.regimes, url, version)
ids = sorted(r.id for r in regimes)
treaties = sorted(r.id for r in regimes if r.kind in TREATY_KINDS)
groups = data.terms_of_kind(url, version, "group")
countries = sorted({c for r in regimes for c in (*r.parties, *r.jurisdiction)} | set(groups))
roles = data.terms_of_kind(url, version, "role")
vocab = data.vocabulary(url, version)

if state.CONFLICTS_KIND not in st.session_state:
    st.session_state[state.CONFLICTS_PRESET] = next(iter(PRESETS))
    apply_preset()

top_left, top_right = st.columns([3, 1])
top_left.selectbox("Start from", list(PRESETS), key=state.CONFLICTS_PRESET, on_change=apply_preset,
                   help="Fills in the perspective below; change any of it afterwards.")
as_of = top_right.date_input("As of", value=dt.date.today(), key=state.CONFLICTS_AS_OF,
                             help="Regimes, accessions and provisions are taken as they stand on this date.")
kind = st.radio("Whose conflicts?", list(KIND_LABELS), key=state.CONFLICTS_KIND, horizontal=True,
                format_func=KIND_LABELS.get)
fields: dict = {"kind": kind, "as_of": as_of}
if kind == "country":
    left, right = st.columns(2)
    country = left.selectbox("Country or group", countries, key=state.CONFLICTS_COUNTRY,
                             format_func=lambda c: f"{en.country(c, vocab)} ({c})",
                             help="Every treaty it is a party to and every law covering it.")
    assume = right.multiselect("Assume it has acceded to", treaties, key=state.CONFLICTS_ASSUME,
                               help="A hypothetical accession, e.g. China's applications to CPTPP and DEPA.")
    fields |= {"country": country, "assume_party": [(t, country) for t in assume]}
elif kind == "role":
    left, right = st.columns(2)
    role = left.selectbox("Actor role", roles, key=state.CONFLICTS_ROLE, format_func=lambda r: common.label(vocab, r))
    jurisdictions = right.multiselect("Operating in", countries, key=state.CONFLICTS_JURISDICTIONS)
    fields |= {"role": role, "jurisdictions": jurisdictions}
else:
    fields["regimes"] = st.multiselect("Regimes", ids, key=state.CONFLICTS_REGIMES)

perspective = Perspective(**fields)
perspective_json = perspective.model_dump_json()
report = common.guarded(data.conflicts, url, version, perspective_json)

st.subheader(f"Conflicts for {common.plain(perspective.describe())}")
st.caption("Regimes in play: " + (", ".join(report.regimes) or "none"))
if not report.conflicts:
    st.success("No conflicts found between the regimes in play.")
    st.stop()

by_severity = {s: [c for c in report.conflicts if c.severity == s] for s in SEVERITIES}
for column, severity in zip(st.columns(len(SEVERITIES)), SEVERITIES):
    column.metric(f"{severity.capitalize()} severity", len(by_severity[severity]), help=common.SEVERITY_MEANINGS[severity])

st.markdown("**Download these conflicts**")
stem = "conflicts-" + (perspective.country or perspective.role or "-".join(perspective.regimes) or "set")
for column, fmt in zip(st.columns(len(data.REPORT_FORMATS)), data.REPORT_FORMATS):
    column.download_button(
        data.REPORT_LABELS[fmt], data=lambda fmt=fmt: data.conflicts_report(url, version, perspective_json, fmt, dt.date.today()),
        file_name=f"{stem}.{fmt}", mime=data.REPORT_MIME[fmt], key=f"conflicts.download.{fmt}",
        on_click="ignore", icon=":material/download:")

# ---------------------------------------------------------------------------- network
with st.expander("Network: regimes and the conflicts between them", expanded=True):
    nodes = report.regimes
    place = {r: (math.cos(2 * math.pi * i / len(nodes)), math.sin(2 * math.pi * i / len(nodes)))
             for i, r in enumerate(nodes)}
    # One edge per pair of regimes (several conflicts between the same two would overlap):
    # its width is how many, its colour the most severe of them.
    pairs: dict[tuple[str, str], list] = {}
    for c in report.conflicts:
        pairs.setdefault(tuple(sorted((c.a.regime, c.b.regime))), []).append(c)
    edges = pd.DataFrame([{"pair": f"{a} – {b}", "count": len(cs),
                           "severity": min((c.severity for c in cs), key=SEVERITIES.index),
                           "conflicts": "; ".join(f"{c.a.provision} vs {c.b.provision}" for c in cs),
                           "x": place[a][0], "y": place[a][1], "x2": place[b][0], "y2": place[b][1]}
                          for (a, b), cs in pairs.items()])
    points = pd.DataFrame([{"regime": r, "x": x, "y": y,
                            "conflicts": sum(r in (c.a.regime, c.b.regime) for c in report.conflicts)}
                           for r, (x, y) in place.items()])
    severity_scale = alt.Scale(domain=list(SEVERITIES), range=["#c0392b", "#e67e22", "#5b8db8"])
    axis = alt.Axis(labels=False, ticks=False, grid=False, domain=False, title=None)
    lines = alt.Chart(edges).mark_rule(opacity=0.75).encode(
        x=alt.X("x:Q", axis=axis, scale=alt.Scale(domain=[-1.4, 1.4])),
        y=alt.Y("y:Q", axis=axis, scale=alt.Scale(domain=[-1.3, 1.3])), x2="x2:Q", y2="y2:Q",
        color=alt.Color("severity:N", scale=severity_scale, title="Most severe"),
        strokeWidth=alt.StrokeWidth("count:Q", scale=alt.Scale(range=[3, 10]), title="Conflicts"),
        tooltip=[alt.Tooltip("pair:N", title="Regimes"), alt.Tooltip("count:Q", title="Conflicts"),
                 alt.Tooltip("severity:N", title="Most severe"), alt.Tooltip("conflicts:N", title="Provisions")])
    dots = alt.Chart(points).mark_circle(size=900, color="#4a4a4a").encode(
        x="x:Q", y="y:Q", tooltip=[alt.Tooltip("regime:N", title="Regime"), alt.Tooltip("conflicts:Q", title="Conflicts")])
    names = alt.Chart(points).mark_text(dy=-26, fontSize=13, fontWeight="bold").encode(x="x:Q", y="y:Q", text="regime:N")
    st.altair_chart((lines + dots + names).properties(height=420), width="stretch")
    st.caption("A line joins two regimes with conflicting provisions: thicker for more conflicts, coloured by the "
               "most severe; hover for the provisions.")

# ---------------------------------------------------------------------------- the conflicts
sources = common.source_links(url, version)




number = 0
for severity in SEVERITIES:
    if not by_severity[severity]:
        continue
    st.subheader(f"{severity.capitalize()} severity ({len(by_severity[severity])})")
    st.caption(common.SEVERITY_MEANINGS[severity])
    for c in by_severity[severity]:
        number += 1
        with st.container(border=True):
            st.markdown(f"##### {number}. {c.a.provision} vs {c.b.provision}  \n"
                        f"{common.severity_badge(c.severity)} {common.words(c.kind)} · bound: **{common.bound_words(c)}**"
                        + (f" · overlap: {common.labels(vocab, c.overlap)}" if c.overlap else ""))
            a_col, b_col = st.columns(2)
            common.conflict_side(a_col, c.a, sources, vocab)
            common.conflict_side(b_col, c.b, sources, vocab)
            st.markdown(f"**Why they conflict.** {common.plain(c.explanation)}")
            st.markdown(f"**Scenario.** {common.plain(c.scenario)}")
            if c.reconcilable_via:
                st.markdown("**Reconcilable via:** " + ", ".join(c.reconcilable_via))
            if c.reconcilable_if:
                st.caption(common.plain(c.reconcilable_if))
