/* 复制链接 in the share box: one tap copies the link above it and says so. Streamlit's own copy icon shows on
 * hover only, and on a phone only after a tap on the link, 24 px wide, with a tick that fades in under a second:
 * a daughter tapped the box and did not know whether anything was copied. The button is fixed HTML
 * (ui/frame.py) and carries no data; the link is read from the code box beside it. The clipboard API needs a
 * secure page (https or this machine); an intranet served over http falls back to the older copy command.
 * Installed once per page. */
(function () {
  "use strict";
  if (window.servicemapCopyLink) return;
  window.servicemapCopyLink = true;
  var DONE = "已复制，可以粘贴到微信等处发送";
  var FAILED = "没能复制：请长按（或选中）上面的链接，手动复制";

  function copyByCommand(text) {
    var box = document.createElement("textarea");
    box.value = text;
    box.setAttribute("readonly", "");
    box.style.position = "fixed";
    box.style.opacity = "0";
    document.body.appendChild(box);
    box.select();
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
    box.remove();
    return copied ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copy(text) {
    if (window.isSecureContext && navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(text).catch(function () { return copyByCommand(text); });
    }
    return copyByCommand(text);
  }

  // Said in a line of the page's own, outside what Streamlit draws: a rerun landing just after the tap (the
  // map reporting its view) redrew the share box, and a word said inside it went with it.
  var said = null, hide = 0;
  function say(text) {
    if (!said) {
      said = document.createElement("div");
      said.className = "sm-copy-said";
      said.setAttribute("role", "status");
      said.setAttribute("aria-live", "polite");
      document.body.appendChild(said);
    }
    said.textContent = text;
    said.classList.add("sm-shown");
    clearTimeout(hide);
    hide = setTimeout(function () { said.classList.remove("sm-shown"); }, 6000);
  }

  // act(found) once find() gives something, looking at each frame for about a second, else giveUp(): what Streamlit
  // draws after a click (the share box, the link's box) comes a moment later.
  function whenDrawn(find, act, giveUp) {
    var frames = 0;
    (function look() {
      var found = find();
      if (found) act(found);
      else if (++frames < 60) requestAnimationFrame(look);
      else if (giveUp) giveUp();
    })();
  }

  // Opened from the keyboard, the share box takes the focus on its 复制链接: it is drawn at the page's end, and
  // Tab from 复制分享链接 went on to the next control, past the box (keyboard review). Escape still closes it and
  // gives the focus back to 复制分享链接 (Streamlit's own).
  document.addEventListener("keydown", function (event) {
    var opener = (event.key === "Enter" || event.key === " ") && event.target.closest &&
      event.target.closest('[data-testid="stPopoverButton"][aria-expanded="false"]');
    if (!opener) return;
    whenDrawn(function () {
      return opener.getAttribute("aria-expanded") === "true" &&
        document.querySelector('[data-testid="stPopoverBody"] button.sm-copy-link');
    }, function (button) { button.focus(); });
  });

  // Tab on from 复制链接, the box's last stop, closes the box and gives the focus back to 复制分享链接, so the next
  // Tab goes on from there: it had fallen to the page's top with the box left open (verification review).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Tab" || event.shiftKey || !event.target.matches || !event.target.matches("button.sm-copy-link")) {
      return;
    }
    var opener = document.querySelector('[data-testid="stPopoverButton"][aria-expanded="true"]');
    if (!opener) return;
    event.preventDefault();
    opener.click();
    opener.focus();
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.sm-copy-link");
    if (!button) return;
    var box = button.closest('[data-testid="stPopoverBody"]') || document;
    // Streamlit draws the link's box a moment after the button the first time the share box opens (its code
    // view loads then): 复制链接 pressed at once from the keyboard did nothing, and said nothing. It waits for
    // the link about a second, and says so if it never comes.
    whenDrawn(function () { return box.querySelector('[data-testid="stCode"] code'); }, function (code) {
      copy(code.textContent.trim()).then(function () { say(DONE); }, function () { say(FAILED); });
    }, function () { say(FAILED); });
  });
})();
