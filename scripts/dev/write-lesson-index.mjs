#!/usr/bin/env node
// Rewrites lessons/index.json, the course manifest the page reads, from the lesson files:
// their number, id, title and summary, in order. The course's length ("Lesson N of M")
// stays as the manifest says (17), so lessons not written yet show as "coming soon".
//
//   node scripts/dev/write-lesson-index.mjs
import { readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export function lessonIndex(lessonsDir, { title = "redpad Redis course", total } = {}) {
  const lessons = readdirSync(lessonsDir)
    .filter((file) => /^\d+-.*\.json$/.test(file))
    .sort()
    .map((file) => {
      const lesson = JSON.parse(readFileSync(join(lessonsDir, file), "utf8"));
      const entry = { number: lesson.number, id: lesson.id, title: lesson.title, file };
      if (lesson.summary) entry.summary = lesson.summary;
      return entry;
    })
    .sort((a, b) => a.number - b.number);
  return { title, total: Math.max(total ?? 0, lessons.length), lessons };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const lessonsDir = join(dirname(fileURLToPath(import.meta.url)), "../../lessons");
  const path = join(lessonsDir, "index.json");
  const current = existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : {};
  const index = lessonIndex(lessonsDir, { title: current.title, total: current.total });
  writeFileSync(path, `${JSON.stringify(index, null, 2)}\n`);
  console.log(`lessons/index.json: ${index.lessons.length} lessons of ${index.total}`);
}
