// The results page, kept current: when an `opinion.updated` event arrives on
// the call's live topic (opinions/services.py sends it after each
// recomputation), fetch the results region again (`?fragment=map`, rendered
// by the server like the full page) and swap it in, without a reload.
// Progressive enhancement only: without this file the page is complete.
//
// Its own socket, because static/js/live.mjs dispatches a fixed set of
// events and has no hook for others; the page does not set
// <body data-live-topics>, so app.mjs opens no second one. The protocol is
// live.mjs's (docs/live-protocol.md): subscribe with `since`, events carry
// `seq`, reconnect with backoff.

const REGION = "[data-opinion-results]";
const EVENT = "opinion.updated";

function region() {
  return document.querySelector(REGION);
}

async function refresh(url) {
  const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
  if (!response.ok) return false;
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html").querySelector(REGION);
  const current = region();
  if (!fresh || !current) return false;
  current.replaceWith(document.importNode(fresh, true));
  const status = document.querySelector("[data-opinion-status]");
  if (status) status.textContent = "The opinion map has been updated with the latest votes.";
  return true;
}

function start() {
  const root = region();
  if (!root || !root.dataset.liveTopic || !("WebSocket" in window)) return;
  const topic = root.dataset.liveTopic;
  const url = new URL(root.dataset.fragmentUrl || "?fragment=map", location.href).toString();
  let seen = Number(root.dataset.liveSince);
  if (!Number.isSafeInteger(seen)) seen = null;
  let attempt = 0;
  let pending = Promise.resolve();

  function connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}/ws/live/`);
    socket.addEventListener("open", () => {
      attempt = 0;
      const message = { type: "subscribe", topic };
      if (seen !== null) message.since = seen;
      socket.send(JSON.stringify(message));
    });
    socket.addEventListener("message", (event) => {
      let message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      if (message.topic !== topic) return;
      if (message.type === "subscribed") {
        if (seen === null) seen = message.seq;
      } else if (message.type === "event") {
        if (seen !== null && message.seq <= seen) return;
        seen = message.seq;
        // One refresh at a time, in order; the last one shows the newest map.
        if (message.event === EVENT) pending = pending.then(() => refresh(url)).catch(() => false);
      }
    });
    socket.addEventListener("close", () => {
      attempt += 1;
      const delay = Math.min(30000, 500 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random() / 2);
      setTimeout(connect, delay);
    });
  }
  connect();
}

start();
