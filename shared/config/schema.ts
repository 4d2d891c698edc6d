/**
 * A tiny config-schema layer over Pulumi config, in one import.
 *
 * A layer declares its keys once (type, doc, default, example, secret or not); `parseFields`
 * reads them all, decodes and validates each, and collects every problem instead of stopping at
 * the first. Problems carry the exact `pulumi config set` command that fixes them, and the layer
 * throws them together as one `ConfigError` before it creates any resource.
 *
 * The pieces, one concern per module:
 * - `secret.ts`: `Secret`, a config value that never prints;
 * - `source.ts`: where values come from (`PulumiConfigSource` in a program, a stack file in pre-flight);
 * - `field.ts`: schema primitives (`Field`, the `field.*` builders, `secretShape`, `describeFields`);
 * - `issues.ts`: problems as data (`ConfigIssue`, `IssueList`, `ConfigError`, `setCommand`);
 * - `parse.ts`: `parseFields` and `pickDefined`;
 * - `common.ts`: helpers several layer schemas share (upstream stack keys, retention, CIDR lists).
 * - `spelling.ts`: "did you mean" (edit distance) for keys, enum values and regions;
 * - `regions.ts`: the real AWS regions per partition, from `shared/data/aws-regions.json`.
 */
export {
    describeFields,
    Field,
    field,
    secretShape,
    type AnyField,
    type FieldKind,
    type ValueOf,
    type ValuesOf,
} from "./field";
export { ConfigError, formatIssues, issueLines, IssueList, setCommand, type ConfigIssue } from "./issues";
export { parseFields, pickDefined } from "./parse";
export { Secret } from "./secret";
export { MapConfigSource, PulumiConfigSource, type ConfigSource, type RawValue } from "./source";
