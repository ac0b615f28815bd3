// Opens the page the server named, from the browser, as the nav bar's links do (nav.js):
// Streamlit's router stops this page's timers (the 2 s watch's among them) and then asks
// for the new page. Switched on the server instead (`st.switch_page`), the browser went
// on as the old page until the new one arrived: a watch tick sent meanwhile ran on the
// server as the old page after the new one, and the new page came up blank
// (docs/reliability.md). The cards (today.js, `leave`) do the same for Start guided session.
export default function (component) {
  const { go, from } = component.data;
  // Only from the page that asked: not again once followed, and not if the person went
  // elsewhere (the nav, Back) before this was drawn (a guard: no test has seen Streamlit
  // draw an old page's late run there, docs/reliability.md).
  if (new URL(`./${from}`, location.href).pathname !== location.pathname) return;
  history.pushState({}, "", new URL(go, location.href).href);
  dispatchEvent(new PopStateEvent("popstate", { state: {} }));
}
