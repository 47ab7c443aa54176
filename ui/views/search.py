"""Search: every provision whose citation, quote (or the English beside it), note or terms contain the words typed.

``comparator.store.search_provisions`` does the searching (case-insensitive, in the
database); this page only narrows its hits to the regimes and topics picked.
"""
import pandas as pd
import streamlit as st

from ui import common, data, state

st.title("Search provisions")
url, version = common.open_database()
regimes = common.guarded(data.regimes, url, version)
ids = sorted(r.id for r in regimes)
labels = data.topic_labels(url, version)

text = st.text_input("Words to find in citations, quotes, notes and terms", key=state.SEARCH_TEXT,
                     placeholder="e.g. computing facilities, localisation, 14.13, source code")
left, right = st.columns(2)
chosen_regimes = left.multiselect("Regimes (empty: all)", ids, key=state.SEARCH_REGIMES)
chosen_topics = right.multiselect("Topics (empty: all)", sorted(labels), key=state.SEARCH_TOPICS,
                                  format_func=lambda t: labels.get(t, t),
                                  help="Topics by label; the topic id is in the Topics column of the results.")

if not text.strip():
    st.info("Type a word or a phrase to search the loaded rules.")
    st.stop()

# One regime: the database filters. Several: search once and keep those regimes' hits.
only = chosen_regimes[0] if len(chosen_regimes) == 1 else None
hits = common.guarded(data.search, url, version, text.strip(), only)
hits = [h for h in hits if (not chosen_regimes or h.regime in chosen_regimes)
        and (not chosen_topics or set(h.topics) & set(chosen_topics))]

st.subheader(f"{len(hits)} provision(s) matching “{common.plain(text.strip())}”")
if not hits:
    st.stop()
st.dataframe(pd.DataFrame([{"Provision": h.citation, "Article": h.article + (f" {h.article_title}" if h.article_title else ""),
                            "Topics": ", ".join(h.topics), "Quote": h.quote or "", "English": h.translation or h.gloss or "", "Source": f"{h.path}:{h.line}"}
                           for h in hits]), hide_index=True, width="stretch")
sources = common.source_links(url, version)
for h in hits[:50]:
    with st.container(border=True):
        st.markdown(common.citation_md(h.citation, sources.get(h.regime), h.path, h.line)
                    + f" — Article {h.article}" + (f" *{common.plain(h.article_title)}*" if h.article_title else ""))
        st.caption(common.plain(" · ".join(labels.get(t, t) for t in h.topics)))
        common.show_quote(h)
if len(hits) > 50:
    st.caption(f"The first 50 of {len(hits)} are shown in full; the table above lists them all.")
