import * as pulumi from "@pulumi/pulumi";
import { inspect } from "node:util";
import { z } from "zod";
import { isPlaceholder } from "./formats";

/**
 * A tiny config-schema layer over Pulumi config.
 *
 * A layer declares its keys once (type, doc, default, example, secret or not); `parseFields`
 * reads them all, decodes and validates each, and collects every problem instead of stopping at
 * the first. Problems carry the exact `pulumi config set` command that fixes them, and the layer
 * throws them together as one `ConfigError` before it creates any resource.
 *
 * Values come from a `ConfigSource`, so the same schemas run inside a Pulumi program (values from
 * the engine) and in the pre-flight check (values read from `Pulumi.<stack>.yaml`, where a
 * `secure:` value is known to be present but cannot be read).
 */

/** A secret config value. It never prints: `String(s)`, JSON and `console.log` show `[secret]`. */
export class Secret {
    readonly #value: string;
    /** False when the value is known to be set but could not be read (an encrypted `secure:` value in pre-flight). */
    readonly known: boolean;

    private constructor(value: string, known: boolean) {
        this.#value = value;
        this.known = known;
    }

    /** Wraps a plain value read from config. */
    static of(value: string): Secret {
        return new Secret(value, true);
    }

    /** A value that is set but encrypted, as pre-flight sees `secure:` entries. */
    static opaque(): Secret {
        return new Secret("", false);
    }

    /** The value, as a Pulumi secret Output: it stays encrypted in state and redacted in logs. */
    toOutput(): pulumi.Output<string> {
        if (!this.known) {
            throw new Error("an encrypted config value cannot become a program value outside a Pulumi run");
        }
        return pulumi.secret(this.#value);
    }

    /** The plain value, for pure helpers that validate or compose it; never log the result. */
    reveal(): string {
        return this.#value;
    }

    toString(): string {
        return "[secret]";
    }

    toJSON(): string {
        return "[secret]";
    }

    [inspect.custom](): string {
        return "[secret]";
    }
}

/** One raw config value as a source provides it. */
export type RawValue = { value: string } | { encrypted: true };

/** Where config values come from: the running Pulumi program, or a stack file in pre-flight. */
export interface ConfigSource {
    /** The stack the values belong to; shown in error headers. */
    readonly stack: string;
    /** The raw value of `<namespace>:<key>`, or undefined when it is not set. */
    get(namespace: string, key: string): RawValue | undefined;
}

/** Reads config from the Pulumi engine (inside `pulumi up` / `preview`, or mocks in tests). */
export class PulumiConfigSource implements ConfigSource {
    readonly stack = pulumi.getStack();

    get(namespace: string, key: string): RawValue | undefined {
        const value = new pulumi.Config(namespace).get(key);
        return value === undefined ? undefined : { value };
    }
}

/** A plain map of `<namespace>:<key>` → value, for tests and tools. */
export class MapConfigSource implements ConfigSource {
    constructor(
        private readonly values: Record<string, string | { encrypted: true }>,
        readonly stack = "test",
    ) {}

    get(namespace: string, key: string): RawValue | undefined {
        const v = this.values[`${namespace}:${key}`];
        if (v === undefined) {
            return undefined;
        }
        return typeof v === "string" ? { value: v } : v;
    }
}

type Kind = "string" | "integer" | "boolean" | "json";

/** Declaration of one config key. Build with the `field` helpers below. */
export class Field<T, Optional extends boolean> {
    /** Phantom marker used only for type inference. */
    declare readonly _optional: Optional;

    constructor(
        readonly kind: Kind,
        /** One line for people: what the key does. */
        readonly doc: string,
        /** A realistic value, used in the fix command of an error. */
        readonly example: string,
        readonly schema: z.ZodType<T>,
        readonly opts: {
            secret?: boolean;
            namespace?: string;
            required?: boolean;
            defaultValue?: T;
            checks?: Array<(value: T) => string | undefined>;
        } = {},
    ) {}

    /** Marks the key required: a missing value is an error. */
    required(): Field<T, false> {
        return new Field(this.kind, this.doc, this.example, this.schema, { ...this.opts, required: true });
    }

    /** A default used when the key is not set. */
    default(value: T): Field<T, false> {
        return new Field(this.kind, this.doc, this.example, this.schema, { ...this.opts, defaultValue: value });
    }

    /** An extra rule; return a reason to reject the value. */
    check(fn: (value: T) => string | undefined): Field<T, Optional> {
        return new Field(this.kind, this.doc, this.example, this.schema, {
            ...this.opts,
            checks: [...(this.opts.checks ?? []), fn],
        });
    }

    /** Reads the key from another namespace, e.g. `aws:region`. */
    inNamespace(namespace: string): Field<T, Optional> {
        return new Field(this.kind, this.doc, this.example, this.schema, { ...this.opts, namespace });
    }

    /** True for keys set with `pulumi config set --secret`. */
    get secret(): boolean {
        return this.opts.secret === true;
    }
}

/** Any field, whatever its value type (checks make Field invariant in T). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyField = Field<any, boolean>;

/** Value type of a field: optional fields without a default may be undefined. */
export type ValueOf<F> = F extends Field<infer T, infer O> ? (O extends true ? T | undefined : T) : never;
/** The parsed object of a field table. */
export type ValuesOf<S extends Record<string, AnyField>> = { [K in keyof S]: ValueOf<S[K]> };

/** Builders for config keys. */
export const field = {
    string: (doc: string, example: string) => new Field<string, true>("string", doc, example, z.string()),
    secret: (doc: string, example: string) =>
        new Field<Secret, true>("string", doc, example, z.custom<Secret>((v) => v instanceof Secret, "must be a secret value"), { secret: true }),
    enum: <const V extends readonly [string, ...string[]]>(values: V, doc: string) =>
        new Field<V[number], true>("string", doc, values[0], z.enum(values)),
    integer: (doc: string, min: number, max: number) =>
        new Field<number, true>("integer", doc, String(min), z.number().int().min(min).max(max)),
    boolean: (doc: string) => new Field<boolean, true>("boolean", doc, "true", z.boolean()),
    json: <T>(doc: string, example: string, schema: z.ZodType<T>) => new Field<T, true>("json", doc, example, schema),
};

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
    const lines = [
        `${project} (stack "${stack}"): ${n} configuration problem${n === 1 ? "" : "s"}; nothing was changed. Fix ${n === 1 ? "it" : "them"} and run again:`,
    ];
    for (const issue of issues) {
        lines.push(`  - ${issue.key}: ${issue.problem}`, `      fix: ${issue.fix}`);
    }
    return lines.join("\n");
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

    /** A key that is set but would have no effect: an error, so no value is silently dropped. */
    ignored(name: string, why: string, alternative?: string): void {
        this.issues.push({
            key: `${this.project}:${name}`,
            problem: `is set but ${why}, so it would be ignored`,
            fix: `pulumi config rm ${this.project}:${name}${alternative ? `   (or: ${alternative})` : ""}`,
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

/** The `pulumi config set` command for a key; the example value is used unless one is given. */
export function setCommand(namespace: string, name: string, f: AnyField, value?: string): string {
    const v = value ?? f.example;
    // Examples of secrets are descriptions like <your Anthropic API key> or a $(...) generator: keep them unquoted.
    const shown = f.secret && (/^<.*>$/.test(v) || v.startsWith("$(")) ? (v.startsWith("$(") ? `"${v}"` : v) : shellQuote(v);
    return `pulumi config set ${f.secret ? "--secret " : ""}${namespace}:${name} ${shown}`;
}

function describeZodError(err: z.ZodError): string {
    const first = err.issues[0];
    if (!first) {
        return "is invalid";
    }
    const where = first.path.length > 0 ? ` at ${first.path.join(".")}` : "";
    return `is invalid${where}: ${first.message}`;
}

function decode(kind: Kind, raw: string): { ok: true; value: unknown } | { ok: false; reason: string } {
    switch (kind) {
        case "string":
            return { ok: true, value: raw };
        case "integer":
            return /^-?\d+$/.test(raw.trim())
                ? { ok: true, value: Number(raw.trim()) }
                : { ok: false, reason: `must be a whole number, got "${raw}"` };
        case "boolean":
            if (raw === "true" || raw === "false") {
                return { ok: true, value: raw === "true" };
            }
            return { ok: false, reason: `must be true or false, got "${raw}"` };
        case "json":
            try {
                return { ok: true, value: JSON.parse(raw) as unknown };
            } catch {
                return { ok: false, reason: `must be JSON, got "${raw}"` };
            }
    }
}

/**
 * Reads and validates every field. Returns the values (invalid or missing ones undefined) and adds
 * each problem to `issues`; the caller adds cross-key rules, then calls `issues.throwIfAny`.
 * Secret values are never echoed in problems.
 */
export function parseFields<S extends Record<string, AnyField>>(
    source: ConfigSource,
    fields: S,
    issues: IssueList,
): ValuesOf<S> {
    const out: Record<string, unknown> = {};
    for (const [name, f] of Object.entries(fields)) {
        const namespace = f.opts.namespace ?? issues.project;
        const raw = source.get(namespace, name);
        if (raw === undefined) {
            if (f.opts.defaultValue !== undefined) {
                out[name] = f.opts.defaultValue;
            } else if (f.opts.required) {
                issues.add(name, f, `is required and not set. ${f.doc}`);
            }
            continue;
        }
        if ("encrypted" in raw) {
            if (f.secret) {
                out[name] = Secret.opaque();
            } else {
                issues.add(name, f, "is stored encrypted but is not a secret key; set it as plain text");
            }
            continue;
        }
        const text = raw.value;
        const shown = f.secret ? "the secret value" : `"${text}"`;
        if (f.kind !== "boolean" && f.kind !== "integer" && isPlaceholder(text)) {
            issues.add(name, f, `${shown} is a placeholder or empty; set the real value. ${f.doc}`);
            continue;
        }
        const decoded = decode(f.kind, text);
        if (!decoded.ok) {
            issues.add(name, f, f.secret ? "has the wrong type" : decoded.reason);
            continue;
        }
        const candidate = f.secret ? Secret.of(text) : decoded.value;
        const parsed = f.schema.safeParse(candidate);
        if (!parsed.success) {
            issues.add(name, f, `${shown} ${describeZodError(parsed.error)}`);
            continue;
        }
        const reason = (f.opts.checks ?? []).map((check) => check(parsed.data)).find((r) => r !== undefined);
        if (reason !== undefined) {
            issues.add(name, f, `${shown} ${reason}`);
            continue;
        }
        out[name] = parsed.data;
    }
    return out as ValuesOf<S>;
}

/** A check for secrets: the plain value's length within bounds and without forbidden characters. */
export function secretShape(min: number, max: number, forbidden = ""): (s: Secret) => string | undefined {
    return (s) => {
        const v = s.reveal();
        if (v.length < min || v.length > max) {
            return `must be ${min}-${max} characters long (it is ${v.length})`;
        }
        const bad = [...forbidden].filter((c) => v.includes(c));
        if (bad.length > 0) {
            return `must not contain ${bad.map((c) => (c === " " ? "spaces" : JSON.stringify(c))).join(", ")}`;
        }
        return undefined;
    };
}

/** Documentation of a field table: key, type, default, doc. Used to check Pulumi.yaml and the README stay true. */
export function describeFields(project: string, fields: Record<string, AnyField>) {
    return Object.entries(fields).map(([name, f]) => ({
        key: `${f.opts.namespace ?? project}:${name}`,
        name,
        secret: f.secret,
        required: f.opts.required === true,
        default: f.opts.defaultValue as unknown,
        doc: f.doc,
    }));
}

/** The entries of `values` for `keys` that are set (for optional keys passed on as a partial record). */
export function pickDefined<T, K extends keyof T>(values: T, keys: readonly K[]): { [P in K]?: NonNullable<T[P]> } {
    const out: { [P in K]?: NonNullable<T[P]> } = {};
    for (const k of keys) {
        const value = values[k];
        if (value !== undefined && value !== null) out[k] = value;
    }
    return out;
}
