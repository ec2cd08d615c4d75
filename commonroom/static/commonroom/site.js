// Progressive enhancement only: every page works without this file.
document.documentElement.classList.add("js");

// Copy buttons: <button data-copy-target="id-of-element">.
// The confirmation goes to a status region next to the button, never into the
// button itself: rewriting the button's text flattened its visually hidden
// part (" the link") into visible text, and a changed button name is not
// announced by screen readers, while a role="status" region is.
function copyStatusFor(button) {
  let status = button.nextElementSibling;
  if (!status || !status.matches(".copy-status")) {
    status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    button.after(status);
  }
  return status;
}
// The regions exist before the first click, so the first confirmation is announced too.
function prepareCopyButtons(root) {
  root.querySelectorAll("[data-copy-target]").forEach(copyStatusFor);
}
document.addEventListener("DOMContentLoaded", () => prepareCopyButtons(document));
document.addEventListener("htmx:load", (event) => prepareCopyButtons(event.target));
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copyTarget);
  if (!source) return;
  const status = copyStatusFor(button);
  const text = source.value !== undefined ? source.value : source.innerText;
  try {
    await navigator.clipboard.writeText(text.trim());
    status.textContent = button.dataset.copiedLabel || "Copied";
    clearTimeout(status.copyTimer);
    status.copyTimer = setTimeout(() => { status.textContent = ""; }, 4000);
  } catch (error) {
    if (source.select) source.select();
  }
});

// Videos load from YouTube or Vimeo only after the viewer asks for it.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-video-embed]");
  if (!button) return;
  event.preventDefault();
  const frame = document.createElement("iframe");
  frame.src = button.dataset.videoEmbed + (button.dataset.videoEmbed.includes("?") ? "&" : "?") + "autoplay=1";
  frame.title = button.dataset.videoTitle || "Video";
  frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
  frame.referrerPolicy = "strict-origin-when-cross-origin";
  frame.className = "video-frame";
  button.closest(".video").replaceChildren(frame);
});

// Upload forms show a progress bar: <form data-upload-progress> with a <progress> inside.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches("[data-upload-progress]") || !window.FormData) return;
  const hasFiles = [...form.querySelectorAll("input[type=file]")].some((input) => input.files.length);
  if (!hasFiles) return;
  event.preventDefault();
  const progress = form.querySelector("progress");
  const status = form.querySelector("[data-upload-status]");
  const request = new XMLHttpRequest();
  request.open(form.method || "POST", form.action || window.location.href);
  request.setRequestHeader("Accept", "application/json");
  request.upload.addEventListener("progress", (e) => {
    if (!e.lengthComputable || !progress) return;
    progress.hidden = false;
    progress.value = Math.round((e.loaded / e.total) * 100);
    if (status) status.textContent = progress.value + "%";
  });
  request.addEventListener("load", () => {
    // The server answers this request with {"redirect": url} instead of a
    // redirect: following one here would load the next page in the
    // background, using up its "saved" message, and then load it again.
    if (request.status < 400 && (request.getResponseHeader("Content-Type") || "").startsWith("application/json")) {
      let target = null;
      try { target = JSON.parse(request.responseText).redirect; } catch (error) { target = null; }
      if (target) {
        window.location.assign(target);
        return;
      }
    }
    // Any other redirect (an expired session sends to the sign-in page).
    if (request.responseURL && request.responseURL !== window.location.href && request.status < 400) {
      window.location.assign(request.responseURL);
      return;
    }
    document.open();
    document.write(request.responseText);
    document.close();
  });
  request.addEventListener("error", () => form.submit());
  for (const button of form.querySelectorAll("button[type=submit]")) button.disabled = true;
  request.send(new FormData(form));
});

// Suggestions under a search box (aria-controls names the list): the arrow
// keys move between the box and the suggested links, Escape closes the list.
document.addEventListener("keydown", (event) => {
  if (!["ArrowDown", "ArrowUp", "Escape"].includes(event.key)) return;
  const inList = event.target.closest(".search-suggestions");
  const box = inList
    ? document.querySelector(`[aria-controls="${inList.id}"]`)
    : event.target.closest("input[aria-controls]");
  const list = inList || (box && document.getElementById(box.getAttribute("aria-controls")));
  if (!box || !list) return;
  const links = [...list.querySelectorAll("a")];
  if (event.key === "Escape") {
    if (!links.length) return;
    list.replaceChildren();
    box.focus();
    event.preventDefault();
    return;
  }
  if (!links.length) return;
  const at = links.indexOf(event.target);
  const next = event.key === "ArrowDown" ? at + 1 : (at === -1 ? links.length - 1 : at - 1);
  event.preventDefault();
  if (next < 0 || next >= links.length) box.focus();
  else links[next].focus();
});

// The search filters come folded in the HTML, so a phone shows the results
// first without anything moving; wider screens show them by CSS
// (::details-content). Only a browser without that needs them opened here.
if (!CSS.supports("selector(::details-content)") && !window.matchMedia("(max-width: 760px)").matches) {
  for (const details of document.querySelectorAll("details[data-open-when-wide]")) {
    details.open = true;
  }
}
