/**
 * Damages a synced store on purpose, so a test can prove the integration script notices. The
 * damage keeps every count right — one reply's text is altered and another reply is replaced by
 * a copy under a new id — so only a field-by-field comparison with the source can see it.
 *
 *   deno run -A scripts/integration/inject_fault.ts damage-replies /path/to/data.db
 */
import { DatabaseSync } from "node:sqlite";

/** Alters one reply's body and swaps another reply's id; returns the ids of the two replies. */
export function damageReplies(storeFile: string): string[] {
  const db = new DatabaseSync(storeFile);
  try {
    const rows = db.prepare(
      "SELECT id FROM conversation_parts WHERE part_type = 'comment' AND body IS NOT NULL " +
        "ORDER BY conversation_id, id LIMIT 2",
    ).all().map((row) => String(row.id));
    const [altered, renamed] = rows;
    if (altered === undefined || renamed === undefined) {
      throw new RangeError(`${storeFile} holds fewer than two replies to damage`);
    }
    db.prepare("UPDATE conversation_parts SET body = body || ' (altered)' WHERE id = ?").run(
      altered,
    );
    db.prepare("UPDATE conversation_parts SET id = ? WHERE id = ?").run(`${renamed}-lost`, renamed);
    return rows;
  } finally {
    db.close();
  }
}

if (import.meta.main) {
  const [kind, storeFile] = Deno.args;
  if (kind !== "damage-replies" || storeFile === undefined) {
    throw new TypeError("usage: inject_fault.ts damage-replies STORE_FILE");
  }
  const ids = damageReplies(storeFile);
  // deno-lint-ignore no-console
  console.error(
    `injected fault: altered reply ${ids[0]}, replaced reply ${ids[1]} in ${storeFile}`,
  );
}
