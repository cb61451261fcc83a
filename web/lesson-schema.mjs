// lessons/schema.json as the validator and the page both check it (build time, Node).
//
// ./scripts/validate-lessons compiles it with Ajv. The page cannot: Ajv compiles a schema
// into JavaScript with `new Function`, which the page's Content Security Policy refuses.
// So web/build.mjs asks Ajv for that same code as the source of a module
// (lessonValidatorSource), bundled into the page: one schema, one set of messages, no
// eval at run time.
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import standaloneCode from "ajv/dist/standalone/index.js";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const schemaFile = join(dirname(fileURLToPath(import.meta.url)), "..", "lessons", "schema.json");

export function lessonSchema() {
  return JSON.parse(readFileSync(schemaFile, "utf8"));
}

const AJV_OPTIONS = { allErrors: true, strict: false };

// The validator's check: validate(lesson) -> boolean, its errors in validate.errors.
export function compileLessonSchema() {
  const ajv = new Ajv2020(AJV_OPTIONS);
  addFormats(ajv);
  return ajv.compile(lessonSchema());
}

// Annotations (descriptions, titles) change no result and no message: the page is
// smaller without them. Only string values go (a property *named* "title" is an object).
function withoutAnnotations(value) {
  if (Array.isArray(value)) return value.map(withoutAnnotations);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, inner]) => !((key === "description" || key === "title") && typeof inner === "string"))
      .map(([key, inner]) => [key, withoutAnnotations(inner)]),
  );
}

// The same check as an ES module's source: `export default function validate(lesson)`,
// errors in validate.errors. It imports Ajv's small runtime helpers and ajv-formats'
// formats (bundled by esbuild).
export function lessonValidatorSource() {
  const ajv = new Ajv2020({ ...AJV_OPTIONS, inlineRefs: false, code: { source: true, esm: true } });
  addFormats(ajv);
  return standaloneCode(ajv, ajv.compile(withoutAnnotations(lessonSchema())));
}
