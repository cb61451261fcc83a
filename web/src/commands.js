// The engine's command list, the page's only copy: learnt once the engine has started, from
// its commands() answer (learnCommands). The page keeps no list of its own; until then every
// word is plain and nothing completes. The editor reads each command's entry (completion,
// the syntax bar); the highlighting mode (redis-mode.js) reads the words it colours.

// name -> { name, syntax, summary, since, complexity, group, arity }; subcommands as
// "OBJECT ENCODING".
export const commandTable = new Map();

// The entry of a command as a run's results name it ("set", "object|encoding"), or null.
export const commandNamed = (name) => (name && commandTable.get(name.replace("|", " ").toUpperCase())) ?? null;

// Every command, subcommand and option word of the table, for the highlighting mode.
export const known = {
  commands: new Set(),
  // "OBJECT" -> Set { "ENCODING", "FREQ", ... }
  subcommands: new Map(),
  options: new Set(),
};

// Learns every command, with its subcommand and option words, from the engine's table.
export function learnCommands(commands) {
  for (const command of commands) {
    const { name, syntax } = command;
    commandTable.set(name.toUpperCase(), command);
    const [main, sub] = name.toUpperCase().split(" ");
    known.commands.add(main);
    if (sub) {
      if (!known.subcommands.has(main)) known.subcommands.set(main, new Set());
      known.subcommands.get(main).add(sub);
    }
    for (const word of (syntax ?? "").match(/\b[A-Z][A-Z0-9_-]+\b/g) ?? []) {
      known.options.add(word);
    }
  }
}
