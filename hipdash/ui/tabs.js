// Progress's first screen above its tabs, then its range and tab bar. The page's heading,
// caption and figures come first, set as text (a routine's title is a note's). The range
// (12 / 26 / 52 weeks, all time) is a radio group above the tabs: a tap marks it at once
// and asks the server for the tabs in that range (Streamlit's own segmented control cost
// ~0.12 s of a phone's first chart).
// Every tab's content is on the page (the open one drawn first, the
// others asked for once it is: `all`), each in a container of its own; a tap shows its
// tab's container and hides the others' at once, with no round trip and nothing drawn
// again (docs/performance.md). The open tab is kept in the link (?view=), as a reload or
// a shared link opens it.
const QUIET_MS = 250;  // how long nothing in the tabs changes before they count as drawn

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  const panels = parentElement.closest(`.st-key-${data.panels}`);
  if (panels) panels.dataset.prefix = data.prefix;
  let bar = parentElement.querySelector(".hd-tabs");
  if (!bar) {
    parentElement.append(el("div", { class: "hd-top" }), rangeRow(data.ranges, setStateValue));
    bar = document.createElement("div");
    bar.className = "hd-tabs";
    bar.setAttribute("role", "tablist");
    bar.setAttribute("aria-label", "Progress");
    for (const name of data.tabs) {
      const tab = document.createElement("button");
      tab.type = "button";
      tab.setAttribute("role", "tab");
      tab.dataset.tab = name;
      tab.textContent = name;
      tab.addEventListener("click", () => show(bar, panels, name, true));
      tab.addEventListener("keydown", (event) => step(bar, panels, name, event));
      bar.append(tab);
    }
    parentElement.append(bar);
    const linked = new URLSearchParams(location.search).get("view");
    bar._open = data.tabs.includes(linked) ? linked : data.open;
    // A tab's container drawn after this (the rest, a rerun) is marked as it comes.
    if (panels) new MutationObserver(() => mark(panels, bar._open)).observe(panels, { childList: true, subtree: true });
  }
  show(bar, panels, bar._open, false);
  drawTop(parentElement.querySelector(".hd-top"), data.top);
  press(parentElement.querySelector(".hd-range"), data.range);
  // Asked only while this page is the one open: a tap on the nav changes the address at
  // once, and what this page asked after that would run on the server as the next page
  // opens, leaving it blank (docs/reliability.md).
  const page = location.pathname;
  if (!data.all && panels) whenDrawn(panels, () => location.pathname === page && setStateValue("all", true));
}

function el(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.textContent = text;
  return node;
}

// The heading, the caption and one tile per figure, each with what it counts.
function drawTop(box, top) {
  const figures = el("div", { class: "hd-figures", role: "list", "data-testid": "hd-figures" });
  for (const f of top.figures) {
    const tile = el("div", { class: "hd-figure", role: "listitem" });
    tile.append(el("span", {}, f.label), el("b", {}, f.value), el("small", {}, f.means));
    figures.append(tile);
  }
  box.replaceChildren(
    el("h2", { class: "hd-page-title" }, top.title),
    el("p", { class: "hd-page-caption" }, top.caption),
    figures,
  );
}

// The range is one choice of four: a radio group, as Streamlit's segmented control is. Tab
// reaches the chosen one; the arrow keys choose the one before or after it.
function rangeRow(ranges, setStateValue) {
  const row = el("div", { class: "hd-range", role: "radiogroup", "aria-label": "Range" });
  const choose = (name) => {
    if (row.querySelector(`[aria-checked="true"]`)?.dataset.range === name) return;
    press(row, name);
    setStateValue("range", name);
  };
  for (const name of ranges) {
    const button = el("button", { type: "button", role: "radio", "data-range": name }, name);
    button.addEventListener("click", () => choose(name));
    row.append(button);
  }
  row.addEventListener("keydown", (event) => {
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    const buttons = [...row.children];
    const at = buttons.indexOf(document.activeElement);
    if (!step || at < 0 || event.altKey || event.ctrlKey || event.metaKey) return;  // Alt+← is Back
    event.preventDefault();
    const next = buttons[(at + step + buttons.length) % buttons.length];
    next.focus();
    choose(next.dataset.range);
  });
  return row;
}

// The server sends only a range it offers (progress.sections): one is always chosen, and
// Tab reaches it.
function press(row, name) {
  for (const button of row.children) {
    const chosen = button.dataset.range === name;
    button.setAttribute("aria-checked", String(chosen));
    button.tabIndex = chosen ? 0 : -1;
  }
}

// Once the open tab is drawn (nothing in the tabs has changed for a moment), `then`: the
// rest must not compete with the first chart for a phone's CPU.
function whenDrawn(panels, then) {
  clearTimeout(panels._quiet);
  panels._changes?.disconnect();
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    observer.disconnect();
    clearTimeout(panels._quiet);
    then();
  };
  const observer = new MutationObserver(() => {
    clearTimeout(panels._quiet);
    panels._quiet = setTimeout(finish, QUIET_MS);
  });
  observer.observe(panels, { childList: true, subtree: true, attributes: true });
  panels._changes = observer;
  panels._quiet = setTimeout(finish, QUIET_MS);
  setTimeout(finish, 5000);  // a page that never settles still gets its tabs
}

function show(bar, panels, name, chosen) {
  bar._open = name;
  mark(panels, name);
  for (const tab of bar.children) {
    const open = tab.dataset.tab === name;
    tab.setAttribute("aria-selected", String(open));
    tab.tabIndex = open ? 0 : -1;
  }
  if (chosen) {
    const url = new URL(location.href);
    url.searchParams.set("view", name);
    history.replaceState(history.state, "", url);
  }
}

// The open tab's container is marked shown, the others not (style.css hides those); the
// containers are found by their keys' classes (`st-key-<prefix><name>`).
function mark(panels, name) {
  if (!panels) return;
  for (const panel of panels.querySelectorAll(`[class*="st-key-${panels.dataset.prefix}"]`)) {
    const shown = panel.classList.contains(`st-key-${panels.dataset.prefix}${name}`);
    if (shown !== panel.hasAttribute("data-hd-shown")) panel.toggleAttribute("data-hd-shown", shown);
  }
  panels.dataset.open = name;
}

// Arrow keys, Home and End move along the tabs, as in any tab list.
function step(bar, panels, name, event) {
  const names = [...bar.children].map((tab) => tab.dataset.tab);
  const at = names.indexOf(name);
  const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: names.length - 1 }[event.key];
  if (to === undefined) return;
  event.preventDefault();
  const next = names[(to + names.length) % names.length];
  show(bar, panels, next, true);
  bar.querySelector(`[data-tab="${next}"]`).focus();
}
