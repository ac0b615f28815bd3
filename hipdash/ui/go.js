// Opens the page the server named, from the browser, as the nav bar's links do (nav.js):
// Streamlit's router stops this page's timers (the 2 s watch's among them) and then asks
// for the new page. Switched on the server instead (`st.switch_page`), the browser went
// on as the old page until the new one arrived: a watch tick sent meanwhile ran on the
// server as the old page after the new one, and the new page came up blank
// (docs/reliability.md).
export default function (component) {
  const target = new URL(component.data.go, location.href);
  if (target.href === location.href) return;  // drawn again after it was followed
  history.pushState({}, "", target.href);
  dispatchEvent(new PopStateEvent("popstate", { state: {} }));
}
