// Lesson Markdown to safe HTML. marked alone lets `<img onerror>` and `javascript:` links
// through; DOMPurify removes anything that could run script, and the page's Content
// Security Policy would refuse inline script even if something slipped past.
import { Marked } from "marked";
import DOMPurify from "dompurify";

const marked = new Marked({ gfm: true, breaks: false, async: false });

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
  });
}

const PURIFY = {
  USE_PROFILE: { html: true },
  FORBID_TAGS: ["style", "form", "input", "button", "textarea", "select", "option", "iframe"],
  FORBID_ATTR: ["style", "id", "name"],
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
