/**
 * `make migrate-rollback STACK=<stack>`: restores the backups migrate-apply took, in reverse order, and
 * clears the journal (scripts/migrate/rollback.ts).
 */
import { resolve } from "node:path";
import { runMigrationCommand } from "./migrate/apply-main";
import { rollbackMigration } from "./migrate/rollback";

export async function main(_argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
    return runMigrationCommand(resolve(__dirname, ".."), env, rollbackMigration);
}
