// The tab's undo history lives in its session storage too, so a reload keeps it, on
// whichever page the ticks were made (Today's cards, the guided session): the first render
// after one (nothing restored yet) hands the kept history back to Python (`ask`), which
// checks it (its items, and at each Undo the log's rows); after that every render keeps
// it. `holder` remembers what was asked for as long as the page's component lives.
function keepHistory(holder, data, ask) {
  const key = data.history_key;
  holder._asked ??= new Set();
  try {
    if (!data.restored && !holder._asked.has(key)) {
      holder._asked.add(key);
      const kept = JSON.parse(sessionStorage.getItem(key) || "null");
      if (kept && (kept.done?.length || kept.own?.length)) {  // an empty one: no rerun
        holder._restoring = key;
        ask({ kind: "restore", key, history: kept });
        return;
      }
    }
    if (data.restored || holder._restoring !== key) {
      sessionStorage.setItem(key, JSON.stringify(data.history));
    }
  } catch (error) {
    // No session storage (or junk in it): this tab's Undo starts empty, as it used to.
  }
}
