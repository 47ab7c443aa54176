"""Rule editor: paste or upload a rule file, see `dtrc check`'s findings as you edit, preview
the provisions it produces, and load it into the database with one click.

The check is ``comparator.validate.check_sources`` against the vocabulary in the database
(ui.data.check_rule_text), rendered by ``comparator.errors.render``: the same codes, lines,
columns and hints as `dtrc check`. Loading is ``comparator.store.store_files``: one
transaction, all or nothing.
"""
import re

import pandas as pd
import streamlit as st

from comparator.errors import SourceCache, render
from ui import common, data, state

EXAMPLE = '''regime EXAMPLE "An example agreement (edit me)" {
  kind: trade_agreement
  parties: GB, SG
  signed: 2024-01-01
}

article 1 "Cross-border transfer of information" {
  provision 1.1 {
    topic: data_flows.cross_border_transfer
    party must allow cross_border_transfer of information
    status: unverified
    note: "an example, not an instrument"
  }
}
'''


def safe_file_name(name: str) -> str:
    """A file name for the stored path: letters, digits, _-. and one optional subfolder, ending in .dtr."""
    name = re.sub(r"[^A-Za-z0-9_./-]", "_", name.strip()).strip("./") or "edited"
    name = "/".join(part for part in name.split("/") if part not in ("", ".", ".."))
    return name if name.endswith(".dtr") else name + ".dtr"


st.title("Rule editor")
st.caption("Paste a rule file or upload one. It is checked as you edit, with the same messages as "
           "`dtrc check`; when it has no errors you can load it into the database.")
url, version = common.open_database()

upload = st.file_uploader("Upload a rule file (.dtr, at most 1 MB)", type=["dtr"], key=state.EDITOR_UPLOAD,
                          max_upload_size=data.MAX_RULE_FILE_MB)
if upload is not None and upload.file_id != st.session_state.get(state.EDITOR_UPLOADED_ID):
    # Copy a new upload into the editor once; later edits in the text area are the user's.
    st.session_state[state.EDITOR_UPLOADED_ID] = upload.file_id
    if upload.size > data.MAX_RULE_FILE_BYTES:
        st.error(f"{upload.name} is {upload.size / 1e6:.1f} MB; rule files are limited to 1 MB. "
                 "Split the instrument into several files.")
        st.stop()
    try:
        st.session_state[state.EDITOR_TEXT] = upload.getvalue().decode("utf-8")
        st.session_state[state.EDITOR_FILE_NAME] = upload.name
    except UnicodeDecodeError:
        st.error(f"{upload.name} is not UTF-8 text. Save it as UTF-8 and upload it again.")
        st.stop()

st.session_state.setdefault(state.EDITOR_TEXT, EXAMPLE)
st.session_state.setdefault(state.EDITOR_FILE_NAME, "example.dtr")
name = st.text_input("File name", key=state.EDITOR_FILE_NAME,
                     help="Stored as rules/<name>. Loading a file under the name of a stored one replaces it.")
path = "rules/" + safe_file_name(name or "edited.dtr")
# Rule files are laid out in columns like code: show them in a monospace font.
st.html("<style>.st-key-editor-text textarea {font-family: 'Source Code Pro', monospace; font-size: 0.85rem;}</style>")
editor_column, check_column = st.columns(2)
text = editor_column.text_area("Rule file", key=state.EDITOR_TEXT, height=520,
                               help="Checked when you click outside the box or press Ctrl+Enter.")

if len(text.encode("utf-8")) > data.MAX_RULE_FILE_BYTES:
    st.error("The text is larger than 1 MB; rule files are limited to 1 MB. Split the instrument into several files.")
    st.stop()

result = common.guarded(data.check_rule_text, url, version, path, text)
sources = SourceCache({path: text})
errors, warnings = result.errors, [d for d in result.diagnostics if d.severity != "error"]

with check_column:
    st.subheader("Check")
    loaded = st.session_state.pop(state.EDITOR_LOADED, None)
    if loaded:
        st.success(loaded)
    if not result.diagnostics:
        st.success(f"No problems in {path}.")
    else:
        (st.error if errors else st.warning)(f"{len(errors)} error(s), {len(warnings)} warning(s) in {path}")
        st.dataframe(pd.DataFrame([{"Line": d["line"], "Column": d["column"], "Code": d["code"],
                                    "Severity": d["severity"], "Message": d["message"], "Hint": d["hint"] or ""}
                                   for d in (x.to_dict() for x in result.diagnostics)]),
                     hide_index=True, width="stretch")
        for diagnostic in result.diagnostics:
            st.code(render(diagnostic, sources), language=None)  # unwrapped: the caret must stay under its column
    token = None
    if not data.serves_loopback_only():
        token = st.text_input("Editor token", type="password", key=state.EDITOR_TOKEN,
                              help="This app is served to a team: loading needs the token the server was started with.")
    load_clicked = st.button("Load into the database", key=state.EDITOR_LOAD, type="primary", disabled=bool(errors),
                             help="Checks again, then stores the file in one transaction (all or nothing).")
    refusal = data.editor_write_refusal(token) if load_clicked else None
    if refusal:
        st.error(refusal)
    elif load_clicked:
        try:
            outcomes = data.load_rule_text(url, path, text)
        except Exception as exc:  # noqa: BLE001 - shown as diagnostics or a plain message, never a traceback
            common.show_problem(exc, {path: text})
        else:
            st.session_state[state.EDITOR_LOADED] = "; ".join(
                f"{o.path} {o.action}" + (f" (regime {o.regime})" if o.regime else "")
                + (f", replacing {o.replaced_path}" if o.replaced_path else "") for o in outcomes) + f" in {data.display_url(url)}."
            st.rerun()  # every page now reads the new load batch

st.subheader("Preview")
provisions = [(f.regime.id if f.regime else "-", a, p) for f in result.corpus.files for a in f.articles for p in a.provisions]
if not provisions:
    st.caption("No provisions to preview" + (" until the errors are fixed." if errors else "."))
else:
    st.dataframe(pd.DataFrame([{
        "Provision": f"{rid} {p.ref}", "Article": a.ref + (f" {a.title}" if a.title else ""),
        "Topics": ", ".join(p.topics),
        "Norm": (f"{', '.join(p.norm.bearers)} {p.norm.modality}" + (f" {p.norm.stance}" if p.norm.stance else "")
                 + f" {p.norm.action}"
                 + (f" of {', '.join(p.norm.objects)}" if p.norm.objects else "")) if p.norm else "",
        "Status": p.status, "Quote": p.quote or ""} for rid, a, p in provisions]), hide_index=True, width="stretch")

with st.expander("Load history: who loaded which file, when (newest first)"):
    history = data.load_history(url, version)
    if history:
        st.dataframe(pd.DataFrame([{"Loaded at (UTC)": f"{h.loaded_at:%Y-%m-%d %H:%M:%S}", "File": h.path,
                                    "Regime": h.regime or "", "Action": h.action, "By": h.loaded_by or "",
                                    "Batch": h.batch[:8]} for h in history]), hide_index=True, width="stretch")
    else:
        st.caption("Nothing loaded yet.")
