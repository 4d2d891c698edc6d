import type { ConfigIssue } from "../../shared/config/issues";
import { loadAwsRegions, regionPartition, type AwsRegionList } from "../../shared/config/regions";
import type { Layer } from "../../shared/layers";
import { unknownKeys, valueChecks, type Placement } from "./checks";
import type { StackFileConfigSource, YamlProblem } from "./stack-file";

/** A stack file that is not valid YAML, as a problem: file, line and column, and how to repair it. */
export function yamlIssue(y: YamlProblem): ConfigIssue {
    return {
        key: `${y.file}:${y.line}:${y.column}`,
        problem: `is not valid YAML: ${y.problem} (the line is not shown: it may hold a secret); nothing else in this file was checked`,
        fix: `edit ${y.file} at line ${y.line}, column ${y.column}: ${y.fix}, then run make check-config again`,
    };
}

/** Region, partition and allowed accounts from the foundation file, when its region is real. */
export function placementOf(
    foundation: StackFileConfigSource | undefined,
    regions: AwsRegionList,
): Placement | undefined {
    const region = foundation?.rawEntry("aws:region");
    if (typeof region !== "string") return undefined;
    const partition = regionPartition(regions, region);
    if (!partition) return undefined;
    const raw = foundation?.rawEntry("aws:allowedAccountIds");
    let accounts: unknown = raw;
    if (typeof raw === "string") {
        try {
            accounts = JSON.parse(raw) as unknown;
        } catch {
            accounts = raw.split(",");
        }
    }
    const list = Array.isArray(accounts) ? accounts.map((a) => String(a).trim()).filter(Boolean) : [];
    return { region, partition, accounts: list };
}

/** A layer's problems: the schema's (`reported`) with the checks beyond the schemas, one per key and problem. */
export function withExtraChecks(
    layer: Layer,
    source: StackFileConfigSource,
    placement: Placement | undefined,
    reported: readonly ConfigIssue[],
    regions: AwsRegionList = loadAwsRegions(),
): ConfigIssue[] {
    const values = valueChecks(layer, source, regions, placement);
    // A value check (clear-text secret, unexpanded `$(`, fake region, foreign ARN) replaces the
    // schema's complaint about the same value, whose fix would not help while the value stays.
    const replaced = new Set(values.map((i) => i.key));
    const schema = reported.filter((i) => !replaced.has(i.key));
    const named = new Set([...reported.map((i) => i.key), ...replaced]);
    return [...schema, ...values, ...unknownKeys(layer, source, named)];
}

/**
 * Makes a fix pasteable from the repository root, where `make check-config` runs: each pulumi
 * command names the stack, and runs in the layer's folder inside a subshell (the user's shell stays put).
 */
export function pasteable(fix: string, layer: Layer, stack: string): string {
    if (!/^(pulumi |cd |value=)/.test(fix) || fix.startsWith("(")) return fix;
    const withStack = fix
        .split(" && ")
        .map((part) =>
            /^(pulumi |cd \S+ && pulumi )/.test(part) && !part.includes("--stack") ? `${part} --stack ${stack}` : part,
        )
        .join(" && ");
    return fix.startsWith("cd ") ? `(${withStack})` : `(cd stacks/${layer} && ${withStack})`;
}
