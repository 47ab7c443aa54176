"""Compare: two or more regimes side by side, topic by topic, with the differences in words.

One call to ``comparator.compare.compare`` (cached in ui.data); the downloads are
``comparator.report.render`` of that same result, the bytes `dtrc compare --format FMT -o
FILE` writes.
"""
import datetime as dt

import pandas as pd
import streamlit as st

from ui import common, data, state

st.title("Compare regimes")
url, version = common.open_database()
regimes = common.guarded(data.regimes, url, version)
titles = {r.id: r.title for r in regimes}
ids = sorted(titles)

if state.COMPARE_REGIMES not in st.session_state:
    st.session_state[state.COMPARE_REGIMES] = [r for r in ("CPTPP", "DEPA") if r in titles] or ids[:2]

chosen = st.multiselect("Regimes to compare (two or more)", ids, key=state.COMPARE_REGIMES,
                        format_func=lambda r: f"{r} — {titles[r]}")
labels = data.topic_labels(url, version)
vocab = data.vocabulary(url, version)
left, right = st.columns([3, 1])
as_of = right.date_input("As of", value=dt.date.today(), key=state.COMPARE_AS_OF,
                         help="Provisions and regimes not in force on this date are left out.")
# Offer the topics the chosen regimes address on that date (the engine's own list), and keep
# any topic already picked so that changing the regimes never drops a choice silently.
addressed = [r.topic for r in common.guarded(data.comparison, url, version, tuple(chosen), (), as_of).rows] \
    if chosen else sorted(labels)
topic_options = sorted(set(addressed) | set(st.session_state.get(state.COMPARE_TOPICS, [])))
topics = left.multiselect("Topics (empty: every topic the regimes address)", topic_options, key=state.COMPARE_TOPICS,
                          format_func=lambda t: labels.get(t, t),
                          help="Topics by label; each topic's id is shown in code style under its heading.")

if len(chosen) < 2:
    st.info("Pick at least two regimes to compare.")
    st.stop()

result = common.guarded(data.comparison, url, version, tuple(chosen), tuple(topics), as_of)
sources = common.source_links(url, version)
for summary in result.regimes:
    if not summary.in_force_on_as_of:
        st.warning(f"{summary.id} is not in force on {result.as_of}.")
if not result.rows:
    st.info("None of these regimes has a provision in force on the topics chosen.")
    st.stop()


def cell_summary(cell) -> str:
    if cell.status in ("absent", "not_encoded"):
        return common.STATUS_LABELS[cell.status]
    refs = ", ".join(p.split(" ", 1)[1] for p in cell.provisions)
    return f"{common.STATUS_LABELS[cell.status]}: {refs}"


st.subheader(f"{' vs '.join(chosen)} — {len(result.rows)} topics, as of {result.as_of}")
table = pd.DataFrame([{"Topic": row.label or row.topic,
                       **{rid: cell_summary(row.cells[rid]) for rid in chosen},
                       "Differences": " · ".join(row.differences) or "—"} for row in result.rows])
st.dataframe(table, hide_index=True, width="stretch",
             column_config={"Differences": st.column_config.TextColumn(width="large")})

# ---------------------------------------------------------------------------- downloads
st.markdown("**Download this comparison**")
key = (url, version, tuple(chosen), tuple(topics), as_of)
stem = "compare-" + "-".join(chosen)
buttons = st.columns(len(data.REPORT_FORMATS))
for column, fmt in zip(buttons, data.REPORT_FORMATS):
    column.download_button(
        data.REPORT_LABELS[fmt], data=lambda fmt=fmt: data.comparison_report(*key, fmt, dt.date.today()),
        file_name=f"{stem}.{fmt}", mime=data.REPORT_MIME[fmt], key=f"compare.download.{fmt}",
        on_click="ignore", icon=":material/download:")

# ---------------------------------------------------------------------------- side by side
st.subheader("Side by side")
st.caption("Each regime's position with the instrument's own words; a citation links to the official text.")
for row in result.rows:
    with st.container(border=True):
        st.markdown(f"#### {common.plain(row.label or row.topic)}  \n`{row.topic}`")
        for column, rid in zip(st.columns(len(chosen)), chosen):
            cell = row.cells[rid]
            with column:
                st.markdown(f"**{rid}** {common.status_badge(cell.status)}")
                if cell.status == "absent":
                    st.caption("No provision on this topic.")
                    continue
                if cell.status == "not_encoded":
                    st.caption("Not encoded: the corpus does not hold this instrument's words on the topic.")
                    continue
                norm = f"`{cell.modality}`" + (f" {cell.stance}" if cell.stance else "") + " " + \
                    ", ".join(map(common.words, cell.actions))
                if cell.objects:
                    norm += " of " + ", ".join(map(common.words, cell.objects))
                st.markdown(norm)
                common.show_quote(cell)
                st.markdown("  \n".join(common.citation_md(f"{c.regime} {c.ref}", sources.get(c.regime), c.path, c.line)
                                        for c in cell.citations))
                details = []
                if cell.excludes:
                    details.append("Excludes: " + common.labels(vocab, cell.excludes))
                if cell.escape_routes:
                    details.append("Unless: " + ", ".join(cell.escape_routes))
                specific = [e for e in cell.exceptions if not e.applies_to_all]
                if specific:
                    details.append("Exceptions: " + "; ".join(
                        f"{e.provision} ({common.label(vocab, e.kind)}" + (f": {common.labels(vocab, e.tests)}" if e.tests else "")
                        + ")" for e in specific))
                if cell.dispute_settlement is not None:
                    details.append("Dispute settlement: " + ("applies" if cell.dispute_settlement else "does not apply"))
                if details:
                    st.caption("  \n".join(details))
        if row.differences:
            st.markdown("**Differences**\n" + "\n".join(f"- {common.plain(d)}" for d in row.differences))
        for v in row.verdicts:
            if v.verdict != "equivalent":
                st.caption(f"{v.a} is **{v.verdict}**" + (" than " if v.verdict in ("stricter", "looser") else " vs ")
                           + v.b + (f" — {common.plain('; '.join(v.reasons))}" if v.reasons else ""))

# ---------------------------------------------------------------------------- lineage
with st.expander("Where this text comes from"):
    st.caption("The articles of other regimes whose words are most like the article holding a provision "
               "(share of word triples in common), the earliest signed one among them, and what changed.")
    cited = list(dict.fromkeys(p for row in result.rows for rid in chosen for p in row.cells[rid].provisions))
    # Nothing picked until asked: tracing indexes the text of every regime loaded, which was
    # most of this page's first run on a large corpus, for an expander that opens closed.
    pick = st.selectbox("Provision", cited, key=state.COMPARE_LINEAGE, index=None,
                        placeholder="Pick a provision to trace its text")
    found = common.guarded(data.lineage, url, version, *pick.split(" ", 1)) if pick else None
    if pick and found is None:
        st.caption("This article has no quoted text to trace.")
    elif found is not None:
        def _name(a) -> str:
            return f"{a.regime_title}, Article {a.article}" + (f" “{a.article_title}”" if a.article_title else "")

        st.markdown(f"**{common.plain(_name(found.article))}**")
        if found.matches:
            st.dataframe(pd.DataFrame([{"Similarity": f"{m.score:.0%}", "Article": _name(m.article),
                                        "Signed": m.article.signed.isoformat() if m.article.signed else "—"}
                                       for m in found.matches]), hide_index=True, width="stretch")
        if found.ancestor is None:
            st.caption(f"Earliest signed ancestor: none ({common.plain(found.ancestor_note)}).")
        else:
            st.markdown(f"Earliest signed ancestor: **{common.plain(_name(found.ancestor.article))}**, "
                        f"signed {found.ancestor.article.signed}")
            changes = [op for op in found.diff if op.op != "equal"]
            if not changes:
                st.caption("The words are the same.")
            else:
                st.markdown("  \n".join(("Removed: ~~" if op.op == "delete" else "Added: **") + common.plain(op.words)
                                         + ("~~" if op.op == "delete" else "**") for op in changes[:20]))
