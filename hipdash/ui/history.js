// The tab's undo history lives in its session storage too, so a reload keeps it, on
// whichever page the ticks were made (Today's cards, the guided session): the first render
// after a page load (nothing restored yet) hands the kept history back to Python (`ask`),
// which checks it (its items, and at each Undo the log's rows); after that every render
// keeps it. Asked once per page load, whichever component renders first.
function keepHistory(data, ask) {
  const key = data.history_key;
  const page = (window.__hdHistory ??= { asked: new Set(), restoring: null });
  try {
    if (!data.restored && !page.asked.has(key)) {
      page.asked.add(key);
      const kept = JSON.parse(sessionStorage.getItem(key) || "null");
      if (kept && (kept.done?.length || kept.own?.length)) {  // an empty one: no rerun
        page.restoring = key;
        ask({ kind: "restore", key, history: kept });
        return;
      }
    }
    if (data.restored || page.restoring !== key) {
      sessionStorage.setItem(key, JSON.stringify(data.history));
    }
  } catch (error) {
    // No session storage (or junk in it): this tab's Undo starts empty, as it used to.
  }
}
