// Lesson Markdown to safe HTML, in three layers. HTML written in the Markdown is not HTML
// here: it is shown as the text it is (no lesson needs it, and a `<img onerror>` then
// never reaches a parser). What Markdown itself makes (links, images) goes through
// DOMPurify, which removes `javascript:` links and anything else that could run script;
// images and media come only from the site itself (one from elsewhere is dropped, so a
// lesson never makes the page contact another site). And the page's Content Security
// Policy would refuse inline script even if something slipped past.
import { Marked } from "marked";
import DOMPurify from "dompurify";

const ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (char) => ENTITIES[char]);

const marked = new Marked(
  { gfm: true, breaks: false, async: false },
  { renderer: { html: ({ text }) => escapeHtml(text) } },
);

let hooked = false;
function addHooks() {
  if (hooked) return;
  hooked = true;
  // Links leave the lesson in a new tab, without giving that tab a handle on this one.
  DOMPurify.addHook("afterSanitizeAttributes", (node) => {
    if (node.tagName === "A" && /^https?:/i.test(node.getAttribute("href") ?? "")) {
      node.setAttribute("target", "_blank");
      node.setAttribute("rel", "noopener noreferrer");
    }
    for (const name of ["src", "poster"]) {
      const value = node.getAttribute(name);
      if (value !== null && !fromThisSite(value)) node.removeAttribute(name);
    }
  });
}

// A relative address, or one on this page's own origin (data: images too).
function fromThisSite(address) {
  try {
    const url = new URL(address, document.baseURI);
    return url.origin === location.origin || url.protocol === "data:";
  } catch {
    return false;
  }
}

const PURIFY = {
  USE_PROFILE: { html: true },
  FORBID_TAGS: ["style", "form", "input", "button", "textarea", "select", "option", "iframe"],
  // srcset and ping could name other sites; src is checked above.
  FORBID_ATTR: ["style", "id", "name", "srcset", "ping"],
};

export function renderMarkdown(text) {
  addHooks();
  return DOMPurify.sanitize(marked.parse(String(text ?? "")), PURIFY);
}

// Markdown for one line (a check message, a hint), without the surrounding paragraph.
export function renderInlineMarkdown(text) {
  addHooks();
  return DOMPurify.sanitize(marked.parseInline(String(text ?? "")), PURIFY);
}
