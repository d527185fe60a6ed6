// The results page, kept current: when an `opinion.updated` event arrives on
// the call's live topic (opinions/services.py sends it after each
// recomputation), fetch the results region again (`?fragment=map`, rendered
// by the server like the full page) and swap it in, without a reload.
// Progressive enhancement only: without this file the page is complete.
//
// No socket of its own: the page's one live client (static/js/live.mjs,
// started by app.mjs) follows the call's topic, named in <body
// data-live-topics> with its sequence number at render as `since`, so an
// update published between the render and the subscribe is replayed; it
// hands this module each `opinion.updated` event through onLiveEvent.

import { onLiveEvent } from "/static/js/live.mjs";

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
  if (!root || !root.dataset.liveTopic) return;
  const topic = root.dataset.liveTopic;
  const url = new URL(root.dataset.fragmentUrl || "?fragment=map", location.href).toString();
  let pending = Promise.resolve();
  onLiveEvent(EVENT, (message) => {
    if (message.topic !== topic) return;
    // One refresh at a time, in order; the last one shows the newest map.
    pending = pending.then(() => refresh(url)).catch(() => false);
  });
}

start();
