// The learner's progress in localStorage: each lesson's editor text and done mark, and the
// last lesson opened. Storage that is missing, full, blocked or holds something unreadable
// is survived: progress is then kept in memory for this visit and the page says so, once.
//
// The stored value: { "version": 1, "last": "lesson-id" | null, "lessons": { "lesson-id":
// { "script": "...", "done": true, "doneAt": "2025-01-06T09:00:00.000Z" } } }. Older shapes
// are read and rewritten in this one (see migrate); fields this version does not know
// (written by a newer redpad) are kept as they are.

export const STORAGE_KEY = "redpad.progress.v1";
export const VERSION = 1;

export const NOTICES = {
  unavailable:
    "Your progress can't be saved in this browser (storage is unavailable); your work " +
    "stays while this page is open.",
  full:
    "Your progress can't be saved: this browser's storage for this site is full (or " +
    "limited, as in some private windows). Your work stays while this page is open.",
  corrupt:
    "Your saved progress could not be read, so redpad started afresh. A copy of the " +
    "unreadable data is kept in this browser's storage under " +
    `"${STORAGE_KEY}.unreadable".`,
};

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

// Lesson ids are keys of a plain map: no prototype, so an id such as "__proto__" is just a key.
const lessonMap = () => Object.create(null);

function emptyData() {
  return { version: VERSION, last: null, lessons: lessonMap() };
}

// One lesson's entry. Older pages stored the editor text alone (a bare string). Known
// fields of the wrong type are dropped; unknown fields are kept.
function migrateLesson(entry) {
  if (typeof entry === "string") return { script: entry };
  if (!isObject(entry)) return null;
  const clean = { ...entry };
  if (typeof clean.script !== "string") delete clean.script;
  if (clean.done !== true) {
    delete clean.done;
    delete clean.doneAt;
  }
  if (typeof clean.doneAt !== "string") delete clean.doneAt;
  return clean;
}

// Reads any shape this or an older page wrote; null when nothing in it is usable.
//   version 1 (now): as described above.
//   no version (the first pages): the same, or with the lessons' texts under "scripts"
//     ({ id: text }), done lessons as a list under "done" ([id, ...]) and the last lesson
//     under "lastLesson"; entries may be bare strings (the text).
//   a version above 1 (a newer redpad, then an older one again): what this version knows
//     is read; the rest is kept, so the newer page finds it.
export function migrate(value) {
  if (!isObject(value)) return null;
  if (value.version !== undefined && !(Number.isInteger(value.version) && value.version >= 0)) return null;
  if (value.lessons !== undefined && !isObject(value.lessons)) return null;
  const data = { ...value, ...emptyData() };
  if (Number.isInteger(value.version) && value.version > VERSION) data.version = value.version;
  if (typeof value.last === "string") data.last = value.last;
  else if (typeof value.lastLesson === "string") data.last = value.lastLesson;
  if (typeof value.lastLesson === "string") delete data.lastLesson;
  for (const [id, entry] of Object.entries(value.lessons ?? {})) {
    const clean = migrateLesson(entry);
    if (clean) data.lessons[id] = clean;
  }
  if (isObject(value.scripts)) {
    for (const [id, script] of Object.entries(value.scripts)) {
      if (typeof script === "string" && data.lessons[id]?.script === undefined) {
        data.lessons[id] = { ...data.lessons[id], script };
      }
    }
    delete data.scripts;
  }
  if (Array.isArray(value.done)) {
    for (const id of value.done) {
      if (typeof id === "string") data.lessons[id] = { ...data.lessons[id], done: true };
    }
    delete data.done;
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
    this.warned = false; // "can't be saved" is said once a visit
    try {
      this.storage = getStorage();
      if (!this.storage) throw new Error("no storage");
      const raw = this.storage.getItem(STORAGE_KEY);
      if (raw !== null) this.read(raw);
    } catch {
      this.storage = null;
      this.warn("unavailable");
    }
  }

  read(raw) {
    let parsed = null;
    try {
      parsed = migrate(JSON.parse(raw));
    } catch {
      parsed = null;
    }
    if (parsed) {
      this.data = parsed;
      return;
    }
    this.notices.push({ kind: "corrupt", text: NOTICES.corrupt });
    try {
      this.storage.setItem(`${STORAGE_KEY}.unreadable`, raw);
      this.storage.removeItem(STORAGE_KEY);
    } catch {
      // Keeping the unreadable copy is a courtesy; starting afresh is what matters.
    }
  }

  onNotice(listener) {
    this.listeners.add(listener);
  }

  warn(kind) {
    if (this.warned) return;
    this.warned = true;
    const notice = { kind, text: NOTICES[kind] };
    this.notices.push(notice);
    for (const listener of this.listeners) listener(notice);
  }

  save() {
    if (!this.storage) return;
    try {
      this.storage.setItem(STORAGE_KEY, JSON.stringify(this.data));
    } catch (error) {
      const full = error?.name === "QuotaExceededError" || /quota/i.test(String(error));
      if (full) {
        // Later saves are still tried: a smaller script may fit again.
        this.warn("full");
      } else {
        this.storage = null;
        this.warn("unavailable");
      }
    }
  }

  lesson(id) {
    return this.data.lessons[id] ?? {};
  }

  script(id) {
    return this.lesson(id).script;
  }

  setScript(id, text) {
    if (this.script(id) === text) return;
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
