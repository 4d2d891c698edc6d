import { z } from "zod";
import { Secret } from "./secret";

/**
 * Schema primitives: the declaration of one config key (`Field`), the builders a layer declares
 * its keys with (`field.*`), checks shared by several keys, and the documentation view of a table.
 */

/** How a raw config string is decoded before the schema checks it. */
export type FieldKind = "string" | "integer" | "boolean" | "json";

/** Declaration of one config key. Build with the `field` helpers below. */
export class Field<T, Optional extends boolean> {
    /** Phantom marker used only for type inference. */
    declare readonly _optional: Optional;

    constructor(
        readonly kind: FieldKind,
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
        new Field<Secret, true>(
            "string",
            doc,
            example,
            z.custom<Secret>((v) => v instanceof Secret, "must be a secret value"),
            { secret: true },
        ),
    enum: <const V extends readonly [string, ...string[]]>(values: V, doc: string) =>
        new Field<V[number], true>("string", doc, values[0], z.enum(values)),
    integer: (doc: string, min: number, max: number) =>
        new Field<number, true>("integer", doc, String(min), z.number().int().min(min).max(max)),
    boolean: (doc: string) => new Field<boolean, true>("boolean", doc, "true", z.boolean()),
    json: <T>(doc: string, example: string, schema: z.ZodType<T>) => new Field<T, true>("json", doc, example, schema),
};

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

/** Documentation of a field table: key, secret, default, doc. scripts/config-docs.ts renders it into docs/configuration.md. */
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
