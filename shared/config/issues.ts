import * as pulumi from "@pulumi/pulumi";
import type { AnyField } from "./field";

/**
 * Configuration problems as data: each names the key, what is wrong and the command that fixes it.
 * A layer collects them in an `IssueList` and throws them together as one `ConfigError` before it
 * creates any resource; a command-line tool formats them its own way (`issueLines`).
 */

/** One configuration problem: the key, what is wrong, and the command that fixes it. */
export interface ConfigIssue {
    /** Fully qualified key, e.g. `proliferate-data:dbPassword`. */
    key: string;
    /** What is wrong, in one sentence. */
    problem: string;
    /** The command that fixes it. */
    fix: string;
}

/** All configuration problems of one layer, thrown before any resource is created. */
export class ConfigError extends pulumi.RunError {
    constructor(
        readonly project: string,
        readonly stack: string,
        readonly issues: ConfigIssue[],
    ) {
        super(formatIssues(project, stack, issues));
        this.name = "ConfigError";
    }
}

/** The human-readable report of a layer's configuration problems. */
export function formatIssues(project: string, stack: string, issues: ConfigIssue[]): string {
    const n = issues.length;
    const header = `${project} (stack "${stack}"): ${n} configuration problem${n === 1 ? "" : "s"}; nothing was changed. Fix ${n === 1 ? "it" : "them"} and run again:`;
    return [header, ...issueLines(issues)].join("\n");
}

/** Two lines per problem: the key and what is wrong, then the fix. */
export function issueLines(issues: readonly ConfigIssue[]): string[] {
    return issues.flatMap((issue) => [`  - ${issue.key}: ${issue.problem}`, `      fix: ${issue.fix}`]);
}

/** Collects issues for one layer. */
export class IssueList {
    readonly issues: ConfigIssue[] = [];

    constructor(readonly project: string) {}

    /** Adds a problem with `name`, a key of this layer declared as `f`. */
    add(name: string, f: AnyField, problem: string, fixValue?: string): void {
        const namespace = f.opts.namespace ?? this.project;
        this.issues.push({ key: `${namespace}:${name}`, problem, fix: setCommand(namespace, name, f, fixValue) });
    }

    /** Adds a problem with a fix that is not a `config set` (e.g. removing a key). */
    addRaw(issue: ConfigIssue): void {
        this.issues.push(issue);
    }

    /**
     * A key that is set but would have no effect: an error, so no value is silently dropped. The fix
     * is one pasteable command (remove it); the other way out (`alternative`) is named in the problem.
     */
    ignored(name: string, why: string, alternative?: string): void {
        this.issues.push({
            key: `${this.project}:${name}`,
            problem: `is set but ${why}, so it would be ignored${alternative ? ` (to use it instead: ${alternative})` : ""}`,
            fix: `pulumi config rm ${this.project}:${name}`,
        });
    }

    /** Conditional rules: each required key must be set, each key of a branch not taken must not be. */
    requirements<K extends string>(
        fields: Record<K, AnyField>,
        isSet: (key: K) => boolean,
        required: ReadonlyArray<{ key: K; reason: string }>,
        unused: ReadonlyArray<{ key: K; reason: string }>,
    ): void {
        for (const r of required) {
            if (!isSet(r.key)) this.add(r.key, fields[r.key], `is ${r.reason} and not set.`);
        }
        for (const r of unused) {
            if (isSet(r.key)) this.ignored(r.key, r.reason);
        }
    }

    /** Two keys that only work together: both set, or neither. */
    together<K extends string>(fields: Record<K, AnyField>, isSet: (key: K) => boolean, a: K, b: K): void {
        if (isSet(a) !== isSet(b)) {
            const missing = isSet(a) ? b : a;
            this.add(missing, fields[missing], `must be set together with its pair (${a} and ${b}), or neither.`);
        }
    }

    /** Throws all collected problems as one ConfigError. */
    throwIfAny(stack: string): void {
        if (this.issues.length > 0) {
            throw new ConfigError(this.project, stack, this.issues);
        }
    }
}

function shellQuote(value: string): string {
    return /^[A-Za-z0-9_./:@=+,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The `pulumi config set` command for a key; the example value is used unless one is given. A value
 * holding a `$(...)` generator is double-quoted so the shell runs it when the command is pasted
 * (single quotes would store the command text itself); any other value is single-quoted as needed.
 */
export function setCommand(namespace: string, name: string, f: AnyField, value?: string): string {
    const v = value ?? f.example;
    // A secret the user chooses is always quoted, so the example reads as one to replace.
    const shown = v.includes("$(")
        ? `"${v.replace(/["\\`]/g, "\\$&")}"`
        : f.secret
          ? `'${v.replace(/'/g, `'\\''`)}'`
          : shellQuote(v);
    return `pulumi config set ${f.secret ? "--secret " : ""}${namespace}:${name} ${shown}`;
}
