import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { migrationDir } from "./mapping";

/**
 * State backups of a migration: `migration/<stack>/backups/<stack>-<n>.json`, where `<stack>` is the
 * fully qualified stack with `/` written as `.` (e.g. `acme.proliferate-infra.prod-1.json`) and `<n>`
 * counts up, so a second migration attempt never overwrites the backups of the first. Mode 0600 in a
 * 0700 folder: an export holds the stack's state (secrets only as ciphertext, but ids and ARNs too).
 */

export function backupDir(root: string, stack: string): string {
    return join(migrationDir(root, stack), "backups");
}

const fileStem = (qualified: string) => qualified.replace(/\//g, ".");

/** Backup numbers already taken for a stack, ascending. */
export function backupNumbers(dir: string, qualified: string): number[] {
    if (!existsSync(dir)) return [];
    const stem = fileStem(qualified);
    return readdirSync(dir)
        .map((f) => (f.startsWith(`${stem}-`) && f.endsWith(".json") ? Number(f.slice(stem.length + 1, -5)) : NaN))
        .filter((n) => Number.isInteger(n) && n > 0)
        .sort((a, b) => a - b);
}

/** Writes `text` as the next backup of `qualified`; returns its path. */
export function writeBackup(dir: string, qualified: string, text: string): string {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    const n = (backupNumbers(dir, qualified).pop() ?? 0) + 1;
    const path = join(dir, `${fileStem(qualified)}-${n}.json`);
    // wx: never overwrite a backup, even if two runs raced for the same number.
    writeFileSync(path, text, { mode: 0o600, flag: "wx" });
    return path;
}

/** The newest backup of `qualified`, or undefined. */
export function latestBackup(dir: string, qualified: string): string | undefined {
    const n = backupNumbers(dir, qualified).pop();
    return n === undefined ? undefined : join(dir, `${fileStem(qualified)}-${n}.json`);
}
