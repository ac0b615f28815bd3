// Today's first screen (hipdash/ui/first.py): the nav bar and the cards, drawn from the
// data in the page's HTML by the same code as in the page (`navBar` is nav.js, `mount`
// today.js), while Streamlit's front end is still starting. What the cards send meanwhile
// waits in their outbox (outbox.js); when the run's cards arrive they take these elements
// over (today.js, `adopt`) and send it. Until then Streamlit's own page is not drawn under it
// (`hd-first-up`, first.css). A run that draws no cards (an error, a passcode asked after
// all) takes it away once it is over, and so does anything going wrong here: the page is
// then as it would be without it.
const holder = document.getElementById("hd-first");
const end = () => {
  holder.remove();
  document.documentElement.classList.remove("hd-first-up");
};
// A page not up by then (no connection, cards that never came) is left to Streamlit: the
// first screen goes, and the page says what was lost (today.js, `adopt`).
const LATE_MS = 20000;

function endWithoutCards(key) {
  setTimeout(end, LATE_MS);
  new MutationObserver((_changes, observer) => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!holder.isConnected) return observer.disconnect();
    if (app?.dataset.testScriptState !== "notRunning") return;
    if (!document.querySelector(`#root .st-key-${CSS.escape(key)}`)) {
      observer.disconnect();
      end();
    }
  }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["data-test-script-state"] });
}

try {
  const given = JSON.parse(document.getElementById("hd-first-data").textContent);
  navBar({ data: { links: given.links }, parentElement: holder.querySelector(".hd-first-nav") });
  holder.querySelector(".hd-first-picker").hidden = !given.picker;
  mount({
    data: given.cards,
    parentElement: holder.querySelector(".hd-first-cards"),
    setTriggerValue: () => {},  // held: its outbox sends nothing until the page is up
  });
  document.documentElement.classList.add("hd-first-up");
  window.__hdFirst = { holder, end };
  endWithoutCards(given.key);
} catch (error) {
  end();
}
