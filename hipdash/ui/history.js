// The tab's undo history lives in its session storage too, so a reload keeps it, on
// whichever page the ticks were made (Today's cards, the guided session): a render of a
// server session (`data.session`: a page load, or a reconnect to a new session after the
// app started again) that has not been handed it (`restored`) hands the kept history back
// to Python (`ask`), which checks it (its items, and at each Undo the log's rows); after
// that every render keeps it. Whichever component renders first asks (through its outbox,
// outbox.js, which sends it again if it is lost); a render before the answer asks again, up
// to ASKS times, and until it is answered the kept history is never replaced by the
// session's own (empty at first). Python keeps a change handed back twice once.
const ASKS = 3;

function keepHistory(data, ask) {
  const key = data.history_key;
  const asked = `${data.session}|${key}`;
  const page = (window.__hdHistory ??= { asks: new Map() });  // `asked` -> requests, or "none"
  try {
    const made = page.asks.get(asked) ?? 0;
    if (!data.restored && made !== "none") {
      if (made >= ASKS) return;  // never answered: the kept history stays for a reload
      const kept = JSON.parse(sessionStorage.getItem(key) || "null");
      if (kept && (kept.done?.length || kept.own?.length)) {  // an empty one: no rerun
        page.asks.set(asked, made + 1);
        ask({ kind: "restore", key, history: kept });
        return;
      }
      page.asks.set(asked, "none");  // nothing to hand back: this session's is the tab's
    }
    sessionStorage.setItem(key, JSON.stringify(data.history));
  } catch (error) {
    // No session storage (or junk in it): this tab's Undo starts empty, as it used to.
  }
}
