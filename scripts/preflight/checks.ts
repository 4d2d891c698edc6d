import type { AnyField } from "../../shared/config/field";
import type { ConfigIssue } from "../../shared/config/issues";
import { regionPartition, type AwsRegionList } from "../../shared/config/regions";
import { closest } from "../../shared/config/spelling";
import { LAYER_FIELDS } from "../../shared/config/registry";
import { LAYERS, PROJECT_NAMES, type Layer } from "../../shared/layers";
import type { StackFileConfigSource } from "./stack-file";

/**
 * Checks the schemas cannot make, because they only see the keys they declare and the values the
 * engine decrypts: keys no layer reads, regions and ARNs that only look right, secrets written in
 * clear and command substitutions the shell never ran. Fixes never echo a value (it may be a secret).
 */

/** The fully qualified keys a layer reads, each with its field. */
function layerKeys(layer: Layer): Map<string, AnyField> {
    return new Map(
        Object.entries(LAYER_FIELDS[layer]).map(([name, f]) => [
            `${f.opts.namespace ?? PROJECT_NAMES[layer]}:${name}`,
            f,
        ]),
    );
}

const PROJECTS = new Set<string>(Object.values(PROJECT_NAMES));

/** `pulumi config get old` into `pulumi config set new`: moves a value without showing it. */
function moveCommand(
    stack: string,
    from: string,
    toLayer: Layer,
    fromLayer: Layer,
    to: string,
    secret: boolean,
): string {
    // Command substitution drops the trailing newline `config get` prints; the value stays in a
    // shell variable of the subshell the fix runs in, never on the terminal.
    const set = `pulumi config set ${secret ? "--secret " : ""}${to} "$value" --stack ${stack}`;
    const target = toLayer === fromLayer ? set : `(cd ../${toLayer} && ${set})`;
    return `value="$(pulumi config get ${from} --stack ${stack})" && ${target} && pulumi config rm ${from} --stack ${stack}`;
}

/**
 * Keys of the four projects that no layer reads here: a typo (did you mean), a key of another
 * layer (move it), or a key of no layer (remove it). Other namespaces (aws:, pulumi:, ...) pass.
 * `reported` holds keys the schema already named, so each problem comes out once.
 */
export function unknownKeys(layer: Layer, source: StackFileConfigSource, reported: ReadonlySet<string>): ConfigIssue[] {
    const stack = source.stack;
    const own = layerKeys(layer);
    const issues: ConfigIssue[] = [];
    for (const key of source.keys()) {
        const colon = key.indexOf(":");
        const namespace = key.slice(0, colon);
        if (colon < 0 || !PROJECTS.has(namespace) || own.has(key) || reported.has(key)) continue;
        const name = key.slice(colon + 1);
        const secure = source.get(namespace, name);
        const isSecure = secure !== undefined && "encrypted" in secure;
        // A key of another layer, spelt right or nearly so, in its own namespace or in this one.
        const elsewhere = LAYERS.filter((l) => l !== layer)
            .map((l) => {
                const names = Object.keys(LAYER_FIELDS[l]);
                const match = names.includes(name) ? name : closest(name, names);
                return match ? { l, match, exact: match === name } : undefined;
            })
            .filter((x) => x !== undefined);
        const ownMatch =
            namespace === PROJECT_NAMES[layer]
                ? closest(
                      name,
                      [...own.keys()].map((k) => k.slice(k.indexOf(":") + 1)),
                  )
                : undefined;
        const other = elsewhere.find((e) => e.exact) ?? (ownMatch ? undefined : elsewhere[0]);
        if (other) {
            const f = LAYER_FIELDS[other.l][other.match];
            const to = `${f?.opts.namespace ?? PROJECT_NAMES[other.l]}:${other.match}`;
            issues.push({
                key,
                problem: `is not a ${layer} key: ${to === key ? "it" : `\`${to}\``} is a ${other.l} key; move it to stacks/${other.l}/Pulumi.${stack}.yaml`,
                fix: moveCommand(stack, key, other.l, layer, to, f?.secret === true || isSecure),
            });
        } else if (ownMatch) {
            const to = `${PROJECT_NAMES[layer]}:${ownMatch}`;
            issues.push({
                key,
                problem: `is not a key of ${PROJECT_NAMES[layer]}; did you mean \`${to}\`?`,
                fix: moveCommand(stack, key, layer, layer, to, own.get(to)?.secret === true || isSecure),
            });
        } else {
            issues.push({
                key,
                problem: `is not a key of any layer, so it would be ignored (the keys are listed in docs/configuration.md)`,
                fix: `pulumi config rm ${key} --stack ${stack}`,
            });
        }
    }
    return issues;
}

/** A value that still holds `$(...)` or backquotes: the shell never ran it, so the text itself was stored. */
function looksUnexpanded(value: string): boolean {
    return value.includes("$(") || value.includes("`");
}

/** Where the stack's resources live, as ARNs in its config must agree with. */
export interface Placement {
    region: string;
    partition: string;
    /** `aws:allowedAccountIds` when set. */
    accounts: string[];
}

/** Region, ARN, clear-text secret and command-substitution checks of one layer's file. */
export function valueChecks(
    layer: Layer,
    source: StackFileConfigSource,
    regions: AwsRegionList,
    placement: Placement | undefined,
): ConfigIssue[] {
    const stack = source.stack;
    const issues: ConfigIssue[] = [];
    const own = layerKeys(layer);
    for (const key of source.keys()) {
        const entry = source.rawEntry(key);
        // A hand-written number or boolean is clear text too (a numeric PIN, a password of digits).
        const raw = typeof entry === "number" || typeof entry === "boolean" ? String(entry) : entry;
        if (typeof raw !== "string") continue;
        const f = own.get(key);
        const example = f?.example ?? "";
        if (looksUnexpanded(raw)) {
            // A generator example ("$(openssl rand -hex 32)") is pasted in double quotes so bash runs it.
            const generates = looksUnexpanded(example);
            issues.push({
                key,
                problem: `holds an unexpanded command substitution (\`$(...)\` or backquotes): the shell did not run it (it was single-quoted or written into the file), so the command text itself is the value`,
                fix: generates
                    ? `pulumi config set ${f?.secret ? "--secret " : ""}${key} "${example}" --stack ${stack}`
                    : `pulumi config set ${f?.secret ? "--secret " : ""}${key} "${example.replace(/["$`\\]/g, "\\$&")}" --stack ${stack}`,
            });
            continue;
        }
        if (f?.secret) {
            issues.push({
                key,
                problem:
                    "is a secret but is stored in clear text in the stack file; store it encrypted (and, if the file was shared or committed, rotate the value)",
                fix: `pulumi config set --secret ${key} "$(pulumi config get ${key} --stack ${stack})" --stack ${stack}`,
            });
            continue;
        }
        if (key === "aws:region" && regionPartition(regions, raw) === undefined) {
            const all = Object.values(regions.partitions).flat();
            const guess = closest(raw, all);
            // No near spelling: a region of the same area (eu-, ap-, ...) is the likelier intent.
            const example = guess ?? all.find((r) => r.startsWith(raw.slice(0, 3))) ?? "us-east-1";
            issues.push({
                key,
                problem: `"${raw}" is not an AWS region (the list of ${regions.takenOn} in shared/data/aws-regions.json)${guess ? `; did you mean ${guess}?` : `; choose one, e.g. ${example}`}`,
                fix: `pulumi config set aws:region ${example} --stack ${stack}`,
            });
            continue;
        }
        const arn = /^arn:([a-z-]+):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|):(.+)$/.exec(raw);
        if (arn && placement) {
            const [, partition, service, region, account, resource] = arn as unknown as string[];
            const wrong: string[] = [];
            if (partition !== placement.partition)
                wrong.push(`partition ${partition} (the stack's is ${placement.partition})`);
            if (region && region !== placement.region)
                wrong.push(`region ${region} (the stack's is ${placement.region})`);
            const accountOk = !account || placement.accounts.length === 0 || placement.accounts.includes(account);
            if (!accountOk)
                wrong.push(`account ${account} (aws:allowedAccountIds allows ${placement.accounts.join(", ")})`);
            if (wrong.length > 0) {
                const fixed = `arn:${placement.partition}:${service}:${region ? placement.region : ""}:${accountOk ? account : placement.accounts[0]}:${resource}`;
                issues.push({
                    key,
                    problem: `is an ARN in ${wrong.join(" and ")}; AWS cannot use it from this stack. Create or import the ${service} resource in ${placement.region} and set its ARN (the example keeps the resource id, which differs there)`,
                    fix: `pulumi config set ${key} "${fixed}" --stack ${stack}`,
                });
            }
        }
    }
    return issues;
}
