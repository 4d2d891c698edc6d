import type { z } from "zod";
import type { AnyField, FieldKind, ValuesOf } from "./field";
import { isPlaceholder } from "./formats";
import type { IssueList } from "./issues";
import { Secret } from "./secret";
import type { ConfigSource } from "./source";
import { closest } from "./spelling";

/**
 * Reading a field table from a config source: each raw value is decoded by kind, checked for
 * placeholders, validated by its schema and checks, and every problem goes to the layer's
 * `IssueList` instead of stopping at the first.
 */

function describeZodError(err: z.ZodError): string {
    const first = err.issues[0];
    if (!first) {
        return "is invalid";
    }
    const where = first.path.length > 0 ? ` at ${first.path.join(".")}` : "";
    return `is invalid${where}: ${first.message}`;
}

function decode(kind: FieldKind, raw: string): { ok: true; value: unknown } | { ok: false; reason: string } {
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
 * The value the fix should suggest for a value the schema refused: the nearest spelling of an
 * enum, the bound a number crossed; undefined means the field's example.
 */
function nearestValid(f: AnyField, value: unknown): string | undefined {
    const s = f.schema as unknown as { options?: unknown; minValue?: number | null; maxValue?: number | null };
    if (typeof value === "string" && Array.isArray(s.options)) {
        const options = s.options.map(String);
        return closest(value, options) ?? options.find((o) => o.startsWith(value.toLowerCase())) ?? options[0];
    }
    if (typeof value === "number") {
        if (typeof s.minValue === "number" && value < s.minValue) return String(s.minValue);
        if (typeof s.maxValue === "number" && value > s.maxValue) return String(s.maxValue);
    }
    return undefined;
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
            issues.add(
                name,
                f,
                `${shown} ${describeZodError(parsed.error)}`,
                f.secret ? undefined : nearestValid(f, decoded.value),
            );
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

/** The entries of `values` for `keys` that are set (for optional keys passed on as a partial record). */
export function pickDefined<T, K extends keyof T>(values: T, keys: readonly K[]): { [P in K]?: NonNullable<T[P]> } {
    const out: { [P in K]?: NonNullable<T[P]> } = {};
    for (const k of keys) {
        const value = values[k];
        if (value !== undefined && value !== null) out[k] = value;
    }
    return out;
}
