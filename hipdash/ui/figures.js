// Progress's figures: a label, the figure and a line saying what it counts, drawn in the
// browser with textContent (an `st.html` element loaded and ran an HTML sanitiser at every
// open of the page: docs/performance.md).
export default function ({ data, parentElement }) {
  let list = parentElement.querySelector(".hd-figures");
  if (!list) {
    list = document.createElement("div");
    list.className = "hd-figures";
    list.setAttribute("role", "list");
    list.setAttribute("data-testid", "hd-figures");
    parentElement.append(list);
  }
  list.replaceChildren(...data.figures.map(({ label, value, means }) => {
    const cell = document.createElement("div");
    cell.className = "hd-figure";
    cell.setAttribute("role", "listitem");
    const parts = [["span", label], ["b", value], ["small", means]].map(([tag, text]) => {
      const part = document.createElement(tag);
      part.textContent = text;
      return part;
    });
    cell.append(...parts);
    return cell;
  }));
}
