// Progressive enhancement only: every page is complete without this file.
import { initAll } from "/static/govuk/govuk-frontend.min.js";
import { startLive } from "/static/js/live.mjs";

initAll();

function csrfToken(form) {
  const input = form.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

async function postForm(form) {
  // form.action would be the <input name="action"> when the form has one.
  const response = await fetch(form.getAttribute("action") || location.pathname, {
    method: "POST",
    body: new FormData(form),
    headers: { Accept: "application/json", "X-CSRFToken": csrfToken(form) },
    credentials: "same-origin",
  });
  let data = {};
  try { data = await response.json(); } catch (e) { data = {}; }
  return { ok: response.ok, status: response.status, data };
}

export function applyTally(ideaId, tally) {
  document.querySelectorAll(`[data-vote-controls][data-idea="${ideaId}"]`).forEach((box) => {
    for (const [key, value] of Object.entries(tally)) {
      const el = box.querySelector(`[data-tally="${key}"]`);
      if (el && el.textContent !== String(value)) {
        el.textContent = value;
      }
    }
  });
}

function showError(form, message) {
  let el = form.querySelector("[data-error]");
  if (!el) {
    el = document.createElement("p");
    el.className = "govuk-error-message";
    el.setAttribute("role", "alert");
    form.prepend(el);
  }
  el.hidden = false;
  el.textContent = message;
  const group = form.querySelector("[data-form-group]");
  if (group) group.classList.add("govuk-form-group--error");
}

function clearError(form) {
  const el = form.querySelector("[data-error]");
  if (el) { el.hidden = true; el.textContent = ""; }
  const group = form.querySelector("[data-form-group]");
  if (group) group.classList.remove("govuk-form-group--error");
}

const MY_VOTE_TEXT = { agree: "You agreed", disagree: "You disagreed", pass: "You passed" };

function setVoteState(form, data) {
  const box = form.closest("[data-vote-controls]");
  applyTally(data.id, data.tally);
  box.querySelectorAll("form[data-vote-form]").forEach((f) => {
    const value = f.querySelector("input[name=value]").value;
    const pressed = data.my_vote === value;
    let action = f.querySelector("input[name=action]");
    if (pressed && !action) {
      action = document.createElement("input");
      action.type = "hidden"; action.name = "action"; action.value = "remove";
      f.appendChild(action);
    } else if (!pressed && action) {
      action.remove();
    }
    const button = f.querySelector("button");
    button.setAttribute("aria-pressed", pressed ? "true" : "false");
    if (value === "support") {
      button.firstChild.textContent = pressed ? "Supported" : "Support";
      button.classList.toggle("govuk-button--secondary", pressed);
    } else {
      button.classList.toggle("govuk-button--secondary", !pressed);
    }
  });
  // Which choice is yours, in words (templates/ideas/_vote_controls.html).
  const mine = box.querySelector("[data-my-vote]");
  if (mine) mine.textContent = MY_VOTE_TEXT[data.my_vote] || "";
  if (data.supports_left !== null && data.supports_left !== undefined) {
    document.querySelectorAll("[data-supports-left]").forEach((el) => { el.textContent = data.supports_left; });
  }
}

document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (form.matches("form[data-vote-form]")) {
    event.preventDefault();
    const { ok, data } = await postForm(form);
    if (ok) setVoteState(form, data);
    else alertMessage(data.error ? data.error.message : "Your vote could not be saved. Try again.");
  } else if (form.matches("form[data-comment-form]")) {
    event.preventDefault();
    clearError(form);
    const { ok, data } = await postForm(form);
    if (!ok) {
      showError(form, data.error ? data.error.message : "Your comment could not be posted. Try again.");
      return;
    }
    if (data.held) {
      showError(form, data.message);
      form.reset();
      return;
    }
    insertCommentHtml(data.parent, data.id, data.html);
    form.reset();
    const details = form.closest("details");
    if (details) details.open = false;
  } else if (form.matches("form[data-support-form]")) {
    event.preventDefault();
    const { ok, data } = await postForm(form);
    if (!ok) { alertMessage(data.error ? data.error.message : "Could not save."); return; }
    const li = form.closest("[data-comment]");
    li.querySelector("[data-comment-support]").textContent = data.support;
    const button = form.querySelector("button");
    let action = form.querySelector("input[name=action]");
    if (data.i_support && !action) {
      action = document.createElement("input"); action.type = "hidden"; action.name = "action"; action.value = "remove";
      form.appendChild(action);
    } else if (!data.i_support && action) action.remove();
    button.textContent = data.i_support ? "Supported" : "Support";
    button.setAttribute("aria-pressed", data.i_support ? "true" : "false");
  }
});

function alertMessage(message) {
  let region = document.getElementById("mc-alert");
  if (!region) {
    region = document.createElement("div");
    region.id = "mc-alert";
    region.className = "govuk-error-summary";
    region.setAttribute("role", "alert");
    document.getElementById("main-content").prepend(region);
  }
  region.innerHTML = "";
  const p = document.createElement("p");
  p.className = "govuk-body govuk-!-margin-bottom-0";
  p.textContent = message;
  region.appendChild(p);
  region.focus();
}

export function insertCommentHtml(parentId, commentId, html) {
  if (document.getElementById(`comment-${commentId}`)) return;
  const list = parentId
    ? document.querySelector(`[data-replies="${parentId}"]`)
    : document.querySelector("[data-comment-list]");
  if (!list) return;
  const empty = list.querySelector("[data-no-comments]");
  if (empty) empty.remove();
  const template = document.createElement("template");
  template.innerHTML = html.trim();
  const node = template.content.firstElementChild;
  node.classList.add("mc-flash");
  list.appendChild(node);
  const counts = document.querySelectorAll("h2 [data-comment-count]");
  counts.forEach((el) => { el.textContent = String(Number(el.textContent) + 1); });
}

startLive({ applyTally, insertCommentHtml });
