// What one Run may do and send back to the page; worker.js applies them, output-text.js says
// which one cut what. commands: commands executed, repeats included (the engine stops the
// script at the line that finds them spent). outputBytes: reply text the engine keeps for
// one Run; past it, commands still run but their replies are dropped (a KEYS * over
// millions of keys would otherwise fill the tab's memory for a reply nobody can read).
// The others cut only what the page is sent: lines and characters per reply, characters
// of an echoed command, results described, and lines over all the replies of a Run.
// maxmemory: the server's own limit (CONFIG SET maxmemory changes it for the lesson); over
// it, writes get Redis's OOM error rather than growing the tab without end.
export const LIMITS = {
  maxmemory: 64 * 1024 * 1024,
  commands: 500_000,
  outputBytes: 8 * 1024 * 1024,
  replyLines: 400,
  replyChars: 32 * 1024,
  commandChars: 2000,
  results: 1000,
  runLines: 4000,
};
