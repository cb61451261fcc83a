// The page's Content Security Policy, in one place: web/build.mjs writes it into
// index.html's <meta http-equiv>, and scripts/serve.mjs also sends it as a header (which
// reaches the engine's worker too, whose script the header comes with).
//
// Scripts only from the site itself, and no inline script (boot.js is a file); WebAssembly
// compiled from the site's own module ('wasm-unsafe-eval' allows compiling, not eval);
// workers from the site; fetches and images only from the site (data: images for icons),
// so nothing a lesson says can make the page contact another site. Styles may be inline:
// the editor (CodeMirror) sets them.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");
