import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { UsageError } from "../runner/usage-error";
import { migrationDir } from "./mapping";

/**
 * The progress journal of `make migrate-apply`: `migration/<stack>/journal.json` (git-ignored). Each
 * step id (apply-plan.ts) is recorded once it has completed, so a re-run after an interruption (Ctrl-C,
 * a killed process, a failed command) resumes at the first unfinished step and never repeats a done
 * one. It also records which mapping it belongs to (a changed mapping mid-migration is refused) and the
 * backups taken before the first move, which `make migrate-rollback` restores.
 *
 * Written atomically (temporary file + rename), mode 0600: an interruption never leaves half a journal.
 */

export const JOURNAL_FORMAT = "proliferate-migration-journal";

export interface JournalBackup {
    /** Fully qualified stack. */
    stack: string;
    /** Path of the export, relative to the repository root. */
    file: string;
}

export interface Journal {
    format: typeof JOURNAL_FORMAT;
    version: 1;
    /** The layers' stack name. */
    stack: string;
    /** sha256 of mapping.json when the migration started. */
    mappingSha256: string;
    /** Backups taken before the first move, in the order the stacks were exported. */
    backups: JournalBackup[];
    /** Completed steps, in order. */
    done: Array<{ id: string; at: string }>;
    /** Set once the previews passed: the migration is complete. */
    verifiedAt?: string;
}

export function journalPath(root: string, stack: string): string {
    return join(migrationDir(root, stack), "journal.json");
}

export function newJournal(stack: string, mappingSha256: string): Journal {
    return { format: JOURNAL_FORMAT, version: 1, stack, mappingSha256, backups: [], done: [] };
}

/** The journal of a migration, or undefined when none was started. A damaged journal is a UsageError. */
export function readJournal(root: string, stack: string): Journal | undefined {
    const path = journalPath(root, stack);
    if (!existsSync(path)) return undefined;
    const shown = relative(root, path);
    let doc: Partial<Journal>;
    try {
        doc = JSON.parse(readFileSync(path, "utf8")) as Partial<Journal>;
    } catch (err) {
        throw new UsageError(
            `${shown} is not JSON (${(err as Error).message}); it is written atomically, so it was edited by hand: restore it, or roll back with make migrate-rollback STACK=${stack}`,
        );
    }
    if (doc.format !== JOURNAL_FORMAT || doc.version !== 1 || !Array.isArray(doc.done) || !Array.isArray(doc.backups)) {
        throw new UsageError(
            `${shown} is not a migration journal (format ${JOURNAL_FORMAT}, version 1): restore it, or roll back with make migrate-rollback STACK=${stack}`,
        );
    }
    return doc as Journal;
}

export function writeJournal(root: string, journal: Journal): void {
    const path = journalPath(root, journal.stack);
    mkdirSync(migrationDir(root, journal.stack), { recursive: true, mode: 0o700 });
    const tmp = `${path}.tmp-${process.pid}`;
    writeFileSync(tmp, `${JSON.stringify(journal, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, path);
}

export function isDone(journal: Journal, id: string): boolean {
    return journal.done.some((d) => d.id === id);
}

/** Records a completed step and writes the journal at once. */
export function markDone(root: string, journal: Journal, id: string, now = new Date()): void {
    if (isDone(journal, id)) return;
    journal.done.push({ id, at: now.toISOString() });
    writeJournal(root, journal);
}

export function clearJournal(root: string, stack: string): void {
    rmSync(journalPath(root, stack), { force: true });
}
