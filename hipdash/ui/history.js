// The tab's undo history lives in its session storage too, so a reload keeps it, on
// whichever page the ticks were made (Today's cards, the guided session): the first render
// of a server session (`data.session`: a page load, or a reconnect to a new session after
// the app started again) that has not been handed it (`restored`) hands the kept history
// back to Python (`ask`), which checks it (its items, and at each Undo the log's rows);
// after that every render keeps it. Asked once per session, whichever component renders
// first; until the answer, the kept history is not replaced by the session's empty one.
function keepHistory(data, ask) {
  const key = data.history_key;
  const asked = `${data.session}|${key}`;
  const page = (window.__hdHistory ??= { asked: new Set(), restoring: null });
  try {
    if (!data.restored && !page.asked.has(asked)) {
      page.asked.add(asked);
      const kept = JSON.parse(sessionStorage.getItem(key) || "null");
      if (kept && (kept.done?.length || kept.own?.length)) {  // an empty one: no rerun
        page.restoring = asked;
        ask({ kind: "restore", key, history: kept });
        return;
      }
    }
    if (data.restored || page.restoring !== asked) {
      sessionStorage.setItem(key, JSON.stringify(data.history));
    }
  } catch (error) {
    // No session storage (or junk in it): this tab's Undo starts empty, as it used to.
  }
}
