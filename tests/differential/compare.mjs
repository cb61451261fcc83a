// How the differential runners compare redis-server's output with redpad's, line by line,
// after a case's directives (tests/differential/README.md): `match` keeps only the lines
// matching a regular expression, `mask` replaces its matches with `*`, `unordered` sorts
// the lines without their array indexes, `tolerance N` lets integers differ by N.
// With { timing: true }, redis-cli's "(1.10s)" lines compare equal whatever their time.
const TIMING = /^\(\d+\.\d\ds\)$/;

export function normalise(output, directives, { timing = false } = {}) {
  let lines = output.split("\n");
  if (timing) lines = lines.map((l) => (TIMING.test(l) ? "(N.NNs)" : l));
  for (const d of directives) {
    if (d.name === "match") {
      const re = new RegExp(d.value);
      lines = lines.filter((l) => re.test(l));
    } else if (d.name === "mask") {
      const re = new RegExp(d.value, "g");
      lines = lines.map((l) => l.replace(re, "*"));
    } else if (d.name === "unordered") {
      lines = lines.map((l) => l.replace(/^(\s*\d+\) )+/, "")).sort();
    }
  }
  return lines;
}

export function same(real, ours, directives, options = {}) {
  const a = normalise(real, directives, options);
  const b = normalise(ours, directives, options);
  if (a.length !== b.length) return false;
  const tolerance = directives.find((d) => d.name === "tolerance");
  const slack = tolerance ? Number(tolerance.value) : 0;
  const intLine = /^(.*\(integer\) )(-?\d+)$/;
  return a.every((line, i) => {
    if (line === b[i]) return true;
    const ma = intLine.exec(line);
    const mb = intLine.exec(b[i]);
    return slack > 0 && ma && mb && ma[1] === mb[1] && Math.abs(Number(ma[2]) - Number(mb[2])) <= slack;
  });
}
