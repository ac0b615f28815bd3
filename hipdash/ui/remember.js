// Right after the passcode was given: trade the page's one-time ticket for the cookie that
// remembers this device (HttpOnly, so only the server can set it; hipdash/ui/gate.py).
const traded = new Set();

export default function (component) {
  const { data } = component;
  if (!data || traded.has(data.ticket)) return;
  traded.add(data.ticket);
  fetch(data.path, { method: "POST", body: data.ticket, credentials: "same-origin" })
    .catch(() => {});  // not remembered: the passcode is asked again next time, nothing else
}
