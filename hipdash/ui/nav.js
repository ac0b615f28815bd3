// The nav bar: the pages' links, drawn in the browser (one element, where four page links
// and their row were five Streamlit elements to draw at every open: docs/performance.md).
// A plain click opens the page in this tab without reloading it, as a page link does; a
// click that opens a new tab or window (a modifier, the middle button) is left to the
// browser and the link's URL.
export default function (component) {
  const { data, parentElement } = component;
  let nav = parentElement.querySelector("nav.hd-nav");
  if (!nav || nav.dataset.links !== JSON.stringify(data.links)) {
    nav?.remove();
    nav = document.createElement("nav");
    nav.className = "hd-nav";
    nav.setAttribute("aria-label", "Pages");
    nav.dataset.links = JSON.stringify(data.links);
    for (const link of data.links) {
      const a = document.createElement("a");
      a.href = `./${link.url}`;
      a.textContent = link.label;
      if (link.current) a.setAttribute("aria-current", "page");
      a.addEventListener("click", (event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        if (a.hasAttribute("aria-current")) return;
        // As Back and Forward do: a new history entry, and Streamlit's router, which
        // listens for history changes, opens the page that entry's URL names.
        history.pushState({}, "", a.href);
        dispatchEvent(new PopStateEvent("popstate", { state: {} }));
      });
      nav.append(a);
    }
    parentElement.append(nav);
  }
}
