/**
 * `make migrate-apply STACK=<stack>`: moves the monolith's resources into the four layer stacks as
 * migration/<stack>/mapping.json says (scripts/migrate/apply.ts). Reads PROLIFERATE_STACK (the Makefile
 * hands STACK over unexpanded) and the backend like every runner command (BACKEND, SECRETS_PROVIDER).
 */
import { resolve } from "node:path";
import { runMigrationCommand } from "./migrate/apply-main";
import { applyMigration } from "./migrate/apply";

export async function main(_argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
    return runMigrationCommand(resolve(__dirname, ".."), env, applyMigration);
}
