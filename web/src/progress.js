// The learner's progress in localStorage: each lesson's editor text and done mark, and the
// last lesson opened. Storage that is missing, full, blocked or holds something unreadable
// is survived: progress is then kept in memory for this visit and the page says so.

export const STORAGE_KEY = "redpad.progress.v1";

export const NOTICES = {
  unavailable:
    "Your progress can't be saved in this browser (storage is turned off or blocked), so " +
    "your scripts and done marks will be lost when you leave this page.",
  full:
    "Your progress could not be saved: this browser's storage for the site is full. " +
    "Your scripts are kept until you leave this page.",
  corrupt:
    "Your saved progress could not be read, so redpad started afresh. A copy of the " +
    "unreadable data is kept in this browser's storage under " +
    `"${STORAGE_KEY}.unreadable".`,
};

function emptyData() {
  return { version: 1, last: null, lessons: {} };
}

// Keeps only well-formed entries; anything else in the stored object is dropped.
function normalise(value) {
  if (!value || typeof value !== "object" || Array.isArray(value)) return null;
  if (value.lessons !== undefined && (typeof value.lessons !== "object" || value.lessons === null)) {
    return null;
  }
  const data = emptyData();
  if (typeof value.last === "string") data.last = value.last;
  for (const [id, entry] of Object.entries(value.lessons ?? {})) {
    if (!entry || typeof entry !== "object") continue;
    const clean = {};
    if (typeof entry.script === "string") clean.script = entry.script;
    if (entry.done === true) clean.done = true;
    if (typeof entry.doneAt === "string") clean.doneAt = entry.doneAt;
    data.lessons[id] = clean;
  }
  return data;
}

export class Progress {
  // `getStorage` returns window.localStorage; it may throw (blocked cookies, sandboxing).
  constructor(getStorage) {
    this.notices = [];
    this.storage = null;
    this.data = emptyData();
    this.listeners = new Set();
    try {
      this.storage = getStorage();
      if (!this.storage) throw new Error("no storage");
      const raw = this.storage.getItem(STORAGE_KEY);
      if (raw !== null) {
        let parsed = null;
        try {
          parsed = normalise(JSON.parse(raw));
        } catch {
          parsed = null;
        }
        if (parsed) {
          this.data = parsed;
        } else {
          this.notices.push({ kind: "corrupt", text: NOTICES.corrupt });
          try {
            this.storage.setItem(`${STORAGE_KEY}.unreadable`, raw);
            this.storage.removeItem(STORAGE_KEY);
          } catch {
            // Keeping the unreadable copy is a courtesy; starting afresh is what matters.
          }
        }
      }
    } catch {
      this.storage = null;
      this.notices.push({ kind: "unavailable", text: NOTICES.unavailable });
    }
  }

  onNotice(listener) {
    this.listeners.add(listener);
  }

  save() {
    if (!this.storage) return;
    try {
      this.storage.setItem(STORAGE_KEY, JSON.stringify(this.data));
    } catch (error) {
      const full = error?.name === "QuotaExceededError" || /quota/i.test(String(error));
      const notice = full
        ? { kind: "full", text: NOTICES.full }
        : { kind: "unavailable", text: NOTICES.unavailable };
      this.storage = null;
      this.notices.push(notice);
      for (const listener of this.listeners) listener(notice);
    }
  }

  lesson(id) {
    return this.data.lessons[id] ?? {};
  }

  script(id) {
    return this.lesson(id).script;
  }

  setScript(id, text) {
    this.data.lessons[id] = { ...this.lesson(id), script: text };
    this.save();
  }

  isDone(id) {
    return this.lesson(id).done === true;
  }

  markDone(id, when = new Date()) {
    if (this.isDone(id)) return false;
    this.data.lessons[id] = { ...this.lesson(id), done: true, doneAt: when.toISOString() };
    this.save();
    return true;
  }

  get last() {
    return this.data.last;
  }

  setLast(id) {
    if (this.data.last === id) return;
    this.data.last = id;
    this.save();
  }

  doneCount(ids) {
    return ids.filter((id) => this.isDone(id)).length;
  }
}
