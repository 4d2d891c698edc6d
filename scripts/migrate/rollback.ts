import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { LAYERS } from "../../shared/layers";
import { Interrupted, PulumiFailure, type MigrationPulumi } from "./apply-engine";
import { readMapping } from "./apply-plan";
import { backupDir, latestBackup } from "./backup";
import { clearJournal, readJournal } from "./journal";

/**
 * `make migrate-rollback STACK=<stack>`: puts every stack of the migration back as it was before the
 * first move, by `pulumi stack import` of the backups migrate-apply took, in reverse order (services,
 * secrets, data, foundation, then the monolith), and clears the journal. The backups the journal lists
 * are used; without a journal (e.g. it was deleted), the newest backup of each stack in
 * `migration/<stack>/backups/`. Refuses (exit 1) when a stack has no backup: nothing is imported then.
 *
 * Only state is restored: no cloud object is touched. A `make deploy-all` run after the migration
 * (which changed tags in place) is not undone by this; the monolith's next `pulumi up` puts its own tags back.
 */
export async function rollbackMigration(ctx: {
    root: string;
    stack: string;
    pulumi: MigrationPulumi;
    say: (line: string) => void;
}): Promise<number> {
    const { root, stack, say } = ctx;
    const { mapping } = readMapping(root, stack);
    const journal = readJournal(root, stack);
    const order = [...LAYERS.map((l) => mapping.target.stacks[l]).reverse(), mapping.source.stack];
    const dir = backupDir(root, stack);
    const plan: Array<{ stack: string; file: string }> = [];
    for (const s of order) {
        const listed = journal?.backups.find((b) => b.stack === s);
        const file = listed ? join(root, listed.file) : latestBackup(dir, s);
        if (!file || !existsSync(file)) {
            say(
                `error: no backup of ${s} in ${relative(root, dir)}/ (make migrate-apply takes them before its first move); nothing was restored.`,
            );
            return 1;
        }
        plan.push({ stack: s, file });
    }
    try {
        for (const { stack: s, file } of plan) {
            await ctx.pulumi.importStack(s, file);
            say(`restored ${s} from ${relative(root, file)}`);
        }
    } catch (err) {
        if (err instanceof PulumiFailure || err instanceof Interrupted) {
            say(`error: ${err.message}`);
            say(`Run make migrate-rollback STACK=${stack} again: importing a backup twice gives the same state.`);
            return err instanceof Interrupted ? (err.signal === "SIGTERM" ? 143 : 130) : 1;
        }
        throw err;
    }
    clearJournal(root, stack);
    say(`rolled back: ${plan.length} stacks restored, journal cleared. The backups stay in ${relative(root, dir)}/.`);
    return 0;
}
