// The live client: one WebSocket per page, subscribing to the topics the
// page names in <body data-live-topics>. Reconnects with backoff and asks
// for what it missed by sequence number, so no update is lost.

const lastSeq = new Map();

// Events other modules follow on the page's one socket (for example
// static/js/opinion-map.mjs: `opinion.updated`), beside the built-in ones
// below. A listener gets the whole event frame ({topic, seq, event, data}),
// once, in sequence order, after the socket has dropped repeats.
const listeners = new Map();

export function onLiveEvent(name, listener) {
  if (!listeners.has(name)) listeners.set(name, []);
  listeners.get(name).push(listener);
}

function notify(message) {
  for (const listener of listeners.get(message.event) || []) {
    try { listener(message); } catch (e) { /* one listener's fault stays its own */ }
  }
}

export function startLive(handlers) {
  const topics = (document.body.dataset.liveTopics || "").split(/\s+/).filter(Boolean);
  const sincePairs = (document.body.dataset.liveSince || "").split(/\s+/).filter(Boolean);
  // Parts of every page that follow a topic of their own (the header's unread count: user:<id>).
  for (const el of document.querySelectorAll("[data-live-topic]")) {
    if (!topics.includes(el.dataset.liveTopic)) topics.push(el.dataset.liveTopic);
    if (el.dataset.liveSince) sincePairs.push(el.dataset.liveSince);
  }
  if (!topics.length || !("WebSocket" in window)) return;
  // Each topic's sequence number when the page was rendered: the first
  // subscribe asks for everything after it.
  for (const pair of sincePairs) {
    const at = pair.lastIndexOf("=");
    const seq = Number(pair.slice(at + 1));
    if (at > 0 && Number.isSafeInteger(seq) && !lastSeq.has(pair.slice(0, at))) lastSeq.set(pair.slice(0, at), seq);
  }
  const indicator = document.querySelector("[data-live-indicator]");
  let attempt = 0;
  let socket;

  function setIndicator(online) {
    if (!indicator) return;
    indicator.hidden = false;
    indicator.textContent = online ? "Live" : "Reconnecting…";
    indicator.classList.toggle("mc-live--offline", !online);
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}/ws/live/`);
    socket.addEventListener("open", () => {
      attempt = 0;
      setIndicator(true);
      for (const topic of topics) {
        const message = { type: "subscribe", topic };
        if (lastSeq.has(topic)) message.since = lastSeq.get(topic);
        socket.send(JSON.stringify(message));
      }
    });
    socket.addEventListener("message", (event) => {
      let message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      if (message.type === "subscribed") {
        if (!lastSeq.has(message.topic)) lastSeq.set(message.topic, message.seq);
      } else if (message.type === "event") {
        const seen = lastSeq.get(message.topic) || 0;
        if (message.seq <= seen) return;
        lastSeq.set(message.topic, message.seq);
        notify(message);
        handle(message, handlers);
      }
    });
    socket.addEventListener("close", () => {
      setIndicator(false);
      attempt += 1;
      const delay = Math.min(30000, 500 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random() / 2);
      setTimeout(connect, delay);
    });
  }
  connect();
}

async function fetchCommentHtml(ideaId, commentId) {
  const response = await fetch(`/ideas/${ideaId}/comments/${commentId}/fragment/`, { credentials: "same-origin" });
  if (!response.ok) return null;
  return response.text();
}

// The page as this person may see it now, parsed: edits, responses and
// status changes are re-read from the server (which checks visibility and
// sanitises), never taken from the event itself.
async function fetchPage(url) {
  const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
  if (!response.ok) return null;
  return new DOMParser().parseFromString(await response.text(), "text/html");
}

// Copy each [data-live-part] region of a fresh copy of this idea's page.
async function refreshIdea(ideaId) {
  const fresh = await fetchPage(`/ideas/${ideaId}/`);
  if (!fresh) return;
  for (const part of document.querySelectorAll("[data-live-part]")) {
    const replacement = fresh.querySelector(`[data-live-part="${part.dataset.livePart}"]`);
    if (replacement) part.replaceWith(document.importNode(replacement, true));
  }
}

// A card on a call page: title, summary and status, as text.
async function refreshCard(ideaId) {
  const card = document.querySelector(`[data-idea-card="${ideaId}"]`);
  if (!card) return;
  const fresh = await fetchPage(`/ideas/${ideaId}/`);
  if (!fresh) return;
  for (const [mine, theirs] of [["[data-card-title]", "[data-idea-title]"], ["[data-card-summary]", "[data-idea-summary]"], ["[data-card-status]", "[data-idea-status]"]]) {
    const target = card.querySelector(mine);
    const source = fresh.querySelector(theirs);
    if (target && source) target.textContent = source.textContent;
  }
}

// The header's unread count (templates/notifications/_badge.html), hidden at 0.
function setUnread(count) {
  if (!Number.isSafeInteger(count) || count < 0) return;
  for (const badge of document.querySelectorAll("[data-unread-count]")) {
    const number = badge.querySelector("[data-unread-number]");
    if (number) number.textContent = String(count);
    badge.hidden = count === 0;
  }
}

// A page's notice of events it names (data-live-notice="assignment.added …"),
// shown with its own link to reload; data-live-notice-match="prize:12" keeps
// it to events whose data.prize is 12. templates/prizes/assess_list.html.
function matches(match, data) {
  if (!match) return true;
  const at = match.indexOf(":");
  return Boolean(data) && String(data[match.slice(0, at)]) === match.slice(at + 1);
}

function showNotices(event, data) {
  for (const notice of document.querySelectorAll("[data-live-notice]")) {
    if (!notice.dataset.liveNotice.split(/\s+/).includes(event)) continue;
    if (!matches(notice.dataset.liveNoticeMatch, data)) continue;
    notice.hidden = false;
  }
}

// Regions of a page re-read from the server when an event they name arrives
// (data-live-refresh="sheet.scored …" on a [data-live-part] region, with
// data-live-match as for notices): the page as this person may see it now
// replaces them, never the event's data; boxes the person ticked stay ticked.
// templates/prizes/sheet.html and assess_list.html.
async function refreshParts(event, data) {
  const parts = [...document.querySelectorAll("[data-live-refresh][data-live-part]")].filter((part) =>
    part.dataset.liveRefresh.split(/\s+/).includes(event) && matches(part.dataset.liveMatch, data));
  if (!parts.length) return;
  const fresh = await fetchPage(window.location.href);
  if (!fresh) return;
  for (const part of parts) {
    const replacement = fresh.querySelector(`[data-live-part="${part.dataset.livePart}"]`);
    if (!replacement) continue;
    const ticked = new Set([...part.querySelectorAll("input[type=checkbox]:checked")].map((box) => box.id));
    const node = document.importNode(replacement, true);
    for (const box of node.querySelectorAll("input[type=checkbox]")) box.checked = ticked.has(box.id);
    part.replaceWith(node);
  }
}

async function handle(message, handlers) {
  const { event, data } = message;
  showNotices(event, data);
  await refreshParts(event, data);
  if (event === "notification" || event === "notification.read") {
    setUnread(data && data.unread);
    return;
  }
  const onIdeaPage = message.topic === `idea:${data && data.id}`;
  if (event === "idea.updated" || event === "idea.response" || (event === "idea.status" && onIdeaPage)) {
    if (onIdeaPage) await refreshIdea(data.id);
    else await refreshCard(data.id);
    return;
  }
  if (event === "idea.status") {
    await refreshCard(data.id);
    return;
  }
  if (event === "comment.updated") {
    const body = document.querySelector(`[data-comment-body="${data.id}"]`);
    const ideaId = message.topic.split(":")[1];
    if (!body) return;
    const html = await fetchCommentHtml(ideaId, data.id);
    if (!html) return;
    const fresh = new DOMParser().parseFromString(html, "text/html").querySelector(`[data-comment-body="${data.id}"]`);
    if (fresh) body.replaceWith(document.importNode(fresh, true));
    return;
  }
  if (event === "tally") {
    for (const tally of data.ideas || []) handlers.applyTally(tally.id, tally);
  } else if (event === "comment.created") {
    const html = await fetchCommentHtml(data.idea, data.id);
    if (html) handlers.insertCommentHtml(data.parent, data.id, html);
  } else if (event === "idea.created") {
    const note = document.querySelector("[data-new-ideas]");
    if (note) note.hidden = false;
  } else if (event === "comment.count") {
    const card = document.querySelector(`[data-idea-card="${data.id}"] [data-comment-count]`);
    if (card) card.textContent = String(Number(card.textContent) + 1);
  } else if (event === "idea.removed") {
    const card = document.querySelector(`[data-idea-card="${data.id}"]`);
    if (card) card.remove();
    const removed = document.querySelector("[data-idea-removed]");
    if (removed && message.topic === `idea:${data.id}`) {
      removed.textContent = `This idea was removed by a moderator: ${data.reason || "it broke the rules"}.`;
      removed.hidden = false;
      document.querySelectorAll("[data-idea-body], [data-vote-controls], [data-comment-form]").forEach((el) => el.remove());
    }
  } else if (event === "comment.removed") {
    const body = document.querySelector(`[data-comment-body="${data.id}"]`);
    if (body) {
      body.innerHTML = "";
      const p = document.createElement("p");
      p.className = "govuk-body mc-comment__placeholder";
      const em = document.createElement("em");
      em.textContent = `Removed by a moderator: ${data.reason || "it broke the rules"}`;
      p.appendChild(em);
      body.appendChild(p);
    }
  } else if (event === "queue.added" || event === "queue.updated" || event === "queue.alert") {
    // A moderator's own decision is already on the page they act from.
    if (event === "queue.updated" && String(data.by) === document.body.dataset.liveUser) return;
    const banner = document.querySelector("[data-queue-changed]");
    if (!banner) return;
    const text = banner.querySelector("[data-queue-changed-text]");
    if (text) {
      text.textContent = event === "queue.alert"
        ? "Several new accounts reported the same item: check it before deciding."
        : event === "queue.added" ? "New items have arrived." : "Another moderator changed the queue.";
    }
    banner.hidden = false;
  }
}
