import {
    closeSync,
    existsSync,
    mkdirSync,
    openSync,
    readFileSync,
    renameSync,
    statSync,
    unlinkSync,
    writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ACCOUNT_ID, emptyAccount, type Account } from "./account";

/**
 * The JSON file of one simulated account. Several engine processes (one `pulumi` per layer, each
 * with its own provider processes) share it, so every read-modify-write holds a lock file created
 * with O_EXCL; readers that only look take no lock (a write is an atomic rename).
 */
export class AccountStore {
    constructor(readonly file: string = defaultStatePath()) {}

    /** The account as it is now (empty when the file does not exist yet). */
    read(): Account {
        if (!existsSync(this.file)) return emptyAccount();
        const parsed = JSON.parse(readFileSync(this.file, "utf8")) as Partial<Account>;
        return { ...emptyAccount(), ...parsed };
    }

    /** Runs `fn` on the account under the lock; writes the account back only when `fn` returns. */
    async transact<T>(fn: (acct: Account) => T): Promise<T> {
        await this.lock();
        try {
            const acct = this.read();
            const result = fn(acct);
            mkdirSync(dirname(this.file), { recursive: true });
            const tmp = `${this.file}.${process.pid}.tmp`;
            writeFileSync(tmp, JSON.stringify(acct, null, 2));
            renameSync(tmp, this.file);
            return result;
        } finally {
            this.unlock();
        }
    }

    private get lockFile(): string {
        return `${this.file}.lock`;
    }

    private async lock(): Promise<void> {
        mkdirSync(dirname(this.file), { recursive: true });
        const deadline = Date.now() + 60_000;
        for (;;) {
            try {
                closeSync(openSync(this.lockFile, "wx"));
                return;
            } catch (e) {
                if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
            }
            // A holder that died (killed engine) must not wedge every later run.
            if (isStale(this.lockFile)) {
                try {
                    unlinkSync(this.lockFile);
                } catch {
                    // Another waiter removed it first.
                }
                continue;
            }
            if (Date.now() > deadline) {
                throw new Error(`[simulated AWS] timed out waiting for the state lock ${this.lockFile}`);
            }
            await new Promise((r) => setTimeout(r, 10 + Math.random() * 40));
        }
    }

    private unlock(): void {
        try {
            unlinkSync(this.lockFile);
        } catch {
            // Already gone (removed as stale by another process): nothing to release.
        }
    }
}

function isStale(lockFile: string): boolean {
    try {
        return Date.now() - statSync(lockFile).mtimeMs > 30_000;
    } catch {
        return false;
    }
}

/** `SIMULATED_AWS_STATE`, or one file per simulated account under the OS temp dir. */
export function defaultStatePath(): string {
    return process.env["SIMULATED_AWS_STATE"] ?? join(tmpdir(), "simulated-aws", `account-${ACCOUNT_ID}.json`);
}
