/**
 * FLAGS: extra arguments for every pulumi command of a run. Split the way a shell splits words (so
 * `FLAGS='--message "fix the NAT"'` passes one message), but never run by a shell: no expansion,
 * no operators. Flags that would aim pulumi at another stack, folder or config file are refused:
 * the runner chooses those, and its guards (production destroy, pre-flight) rely on it.
 */
import { UsageError } from "./usage-error";

/** Splits FLAGS into arguments: whitespace separates, '…' is literal, "…" and \ escape. */
export function splitFlags(text: string): string[] {
    const args: string[] = [];
    let current: string | undefined;
    let quote: "'" | '"' | undefined;
    for (let i = 0; i < text.length; i++) {
        const c = text[i] as string;
        if (quote === "'") {
            if (c === "'") quote = undefined;
            else current += c;
            continue;
        }
        if (c === "\\") {
            const next = text[i + 1];
            if (next === undefined) throw new UsageError(`FLAGS ends with a lone "\\": ${JSON.stringify(text)}`);
            if (quote === '"' && !['"', "\\", "$", "`"].includes(next)) current = `${current ?? ""}\\`;
            current = `${current ?? ""}${next}`;
            i++;
            continue;
        }
        if (quote === '"') {
            if (c === '"') quote = undefined;
            else if (c === "$" || c === "`") refuseExpansion(text);
            else current += c;
            continue;
        }
        if (/\s/.test(c)) {
            if (current !== undefined) args.push(current);
            current = undefined;
        } else if (c === "'" || c === '"') {
            quote = c;
            current ??= "";
        } else if (c === "$" || c === "`") {
            refuseExpansion(text);
        } else if (";|&<>()".includes(c)) {
            throw new UsageError(
                `FLAGS ${JSON.stringify(text)} holds the shell operator "${c}": FLAGS is passed to pulumi, never to a shell; quote the character if it is part of a value`,
            );
        } else {
            current = `${current ?? ""}${c}`;
        }
    }
    if (quote) throw new UsageError(`FLAGS has an unclosed ${quote} quote: ${JSON.stringify(text)}`);
    if (current !== undefined) args.push(current);
    refuseRetargeting(args);
    return args;
}

function refuseExpansion(text: string): never {
    throw new UsageError(
        `FLAGS ${JSON.stringify(text)} holds "$" or a backquote: FLAGS is passed to pulumi, never to a shell, so nothing in it is expanded; expand it in your own shell first, e.g. FLAGS="--message 'deploy $(git rev-parse --short HEAD)'" (double quotes outside)`,
    );
}

/** Long flags the runner sets itself, with what to use instead. */
const RUNNER_OWNED: Record<string, string> = {
    "--stack": "the stack is STACK=<name> (make ... STACK=prod)",
    "--cwd": "each layer runs in its own folder; pick layers with the per-layer targets (make up-data)",
    "--config-file": "each layer reads stacks/<layer>/Pulumi.<stack>.yaml; choose it with STACK=<name>",
    "--secrets-provider": "set SECRETS_PROVIDER=<url> (used when the stack is created)",
    "--policy-pack": "set POLICY_PACK=<folder> (POLICY_PACK= runs without a pack)",
    "--event-log": "the runner reads pulumi's event log itself to print its summary",
};
/** Short forms: -s is --stack, -C is --cwd. */
const SHORT: Record<string, string> = { s: "--stack", C: "--cwd" };
/** pulumi's boolean short flags (-y yes, -f skip-preview, -r refresh, -j json); any other letter takes a value. */
const BOOLEAN_SHORT = new Set(["y", "f", "r", "j"]);

/** Refuses arguments that would retarget pulumi, with why and what to use instead. */
export function refuseRetargeting(args: readonly string[]): void {
    for (const arg of args) {
        let owned: string | undefined;
        if (arg.startsWith("--")) {
            owned = Object.keys(RUNNER_OWNED).find((f) => arg === f || arg.startsWith(`${f}=`));
        } else if (/^-[A-Za-z]/.test(arg)) {
            // A cluster of short flags (-yf, -ys dev, -Cdir): an s or C before the first letter that
            // takes a value retargets; what follows that letter is its value (-msetup is -m setup).
            for (const letter of arg.slice(1)) {
                if (letter in SHORT) owned = SHORT[letter];
                if (owned || !BOOLEAN_SHORT.has(letter)) break;
            }
        }
        if (owned) {
            throw new UsageError(
                `FLAGS may not contain ${arg}: the runner chooses the stack, folder, config file and secrets provider for every layer, so that its guards apply. Instead, ${RUNNER_OWNED[owned] ?? ""}`,
            );
        }
    }
}
