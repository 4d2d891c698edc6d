// Property values as the engine sends them over gRPC (google.protobuf.Struct turned into JS):
// plain JSON, plus two sentinels the simulator must see through.

/** A plain property bag. */
export type Props = Record<string, unknown>;

/** The string the engine sends for a value not known yet (a preview of a computed input). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

// Secrets travel as { <sig key>: <secret sig>, value } objects; keeping them wrapped in outputs
// is what keeps a secret input secret in the engine's state.
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** True for an engine secret wrapper. */
export function isSecret(v: unknown): v is { value: unknown } {
    return isRecord(v) && v[SIG_KEY] === SECRET_SIG;
}

/** Wraps a value as an engine secret. */
export function secret(value: unknown): Props {
    return { [SIG_KEY]: SECRET_SIG, value };
}

/** The value with every secret wrapper removed (for reading names and ids, never for outputs). */
export function plain(v: unknown): unknown {
    if (isSecret(v)) return plain(v.value);
    if (Array.isArray(v)) return v.map(plain);
    if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
    return v;
}

/** True for a non-array object. */
export function isRecord(v: unknown): v is Props {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A string property (secrets unwrapped), or undefined when absent, unknown or not a string. */
export function str(props: Props, key: string): string | undefined {
    const v = plain(props[key]);
    return typeof v === "string" && v !== UNKNOWN ? v : undefined;
}

/** A list of strings (secrets unwrapped); absent means empty. */
export function strList(props: Props, key: string): string[] {
    const v = plain(props[key]);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string" && x !== UNKNOWN) : [];
}

/** A boolean property, with the provider's default when absent. */
export function bool(props: Props, key: string, fallback: boolean): boolean {
    const v = plain(props[key]);
    return typeof v === "boolean" ? v : fallback;
}

/** A number property, with the provider's default when absent. */
export function num(props: Props, key: string, fallback: number): number {
    const v = plain(props[key]);
    return typeof v === "number" ? v : fallback;
}

/** Structural equality of two property values (secret wrappers compared as values). */
export function deepEqual(a: unknown, b: unknown): boolean {
    if (a === b) return true;
    if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
    if (isRecord(a) && isRecord(b)) {
        const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
        return [...keys].every((k) => deepEqual(a[k], b[k]));
    }
    return false;
}

/** The value without undefined members (protobuf Structs cannot carry undefined). */
export function compact(v: unknown): unknown {
    if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : compact(x)));
    if (isRecord(v))
        return Object.fromEntries(
            Object.entries(v)
                .filter(([, x]) => x !== undefined)
                .map(([k, x]) => [k, compact(x)]),
        );
    return v;
}
