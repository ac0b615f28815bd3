"""A naive Today page for bench/browser.py: sixteen plain `st.checkbox`es, the whole log
read with `pandas.read_csv` on every rerun, a tick appended in the box's `on_change`, and
the count. What a first Streamlit version of hipdash's Today would be."""

import os
from datetime import datetime
from pathlib import Path

import pandas as pd
import streamlit as st

from hipdash.routines import load_routine

PROJECT = Path(__file__).resolve().parent.parent.parent
routine = load_routine(PROJECT / "routines" / "hip-therapy-routine-1.yaml")
log = Path(os.environ["HIPDASH_DATA_DIR"]) / "checkoffs.csv"
today = os.environ.get("HIPDASH_TODAY", datetime.now().date().isoformat())


def save(item: str) -> None:
    done = "1" if st.session_state[item] else "0"
    stamp = datetime.now().astimezone().isoformat(timespec="seconds")
    with open(log, "a", encoding="utf-8") as f:
        f.write(f"{stamp},{today},{routine.id},{item},{done}\n")


frame = pd.read_csv(log)
day = frame[(frame["session_date"] == today) & (frame["routine"] == routine.id)]
state = day.drop_duplicates("item", keep="last").set_index("item")["done"].to_dict()
st.header(routine.title)
done = 0
for item in routine.items():
    st.session_state[item.key] = bool(state.get(item.key, 0))
    done += st.checkbox(item.title, key=item.key, on_change=save, args=(item.key,))
with st.container(key="count"):
    st.markdown(f"**{done} / {len(routine.items())}** done")
