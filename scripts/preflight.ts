/**
 * Pre-flight: checks every layer's stack config for one stack with the same schemas the programs
 * use, before `deploy-all` or `preview-all` touches anything. It reads `stacks/<layer>/Pulumi.<stack>.yaml`
 * with a YAML parser; an encrypted (`secure:`) value counts as present and is never decrypted.
 * The shared library returns the problems as data; this file words them for the command line.
 *
 *   make check-config STACK=dev        (node scripts/cli.cjs preflight [--stack dev])
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import { SANDBOX_PROVIDERS, DEPLOYMENT_PROFILES, type AppProfile } from "../shared/app-settings";
import { SERVICES, type ServiceSpec } from "../shared/catalog";
import { parseDataConfig, type DataNetwork } from "../shared/config/data";
import { parseFoundationConfig } from "../shared/config/foundation";
import { ConfigError, issueLines, type ConfigIssue } from "../shared/config/issues";
import type { ConfigSource, RawValue } from "../shared/config/source";
import { parseSecretsConfig } from "../shared/config/secrets";
import { parseServicesConfig } from "../shared/config/services";
import { ENVIRONMENT_CLASSES, type EnvironmentClass, type EnvironmentSettings } from "../shared/environment";
import { LAYERS, PROJECT_NAMES, type Layer } from "../shared/layers";
import { REQUEST_ENV, stackFileName } from "./runner/request";

/** Config of one stack, read from its `Pulumi.<stack>.yaml`. */
export class StackFileConfigSource implements ConfigSource {
    constructor(
        readonly stack: string,
        private readonly config: Record<string, unknown>,
        /** ESC environments the file imports (their values are not visible here). */
        readonly escEnvironments: string[] = [],
    ) {}

    /** Reads `stacks/<layer>/Pulumi.<stack>.yaml`; undefined when the file does not exist. */
    static read(root: string, layer: Layer, stack: string): StackFileConfigSource | undefined {
        const file = stackFile(root, layer, stack);
        if (!existsSync(file)) {
            return undefined;
        }
        const doc = (parse(readFileSync(file, "utf8")) ?? {}) as {
            config?: Record<string, unknown>;
            environment?: unknown;
        };
        const env = doc.environment;
        const imports = Array.isArray(env)
            ? env.map(String)
            : env && typeof env === "object" && Array.isArray((env as { imports?: unknown }).imports)
              ? (env as { imports: unknown[] }).imports.map(String)
              : [];
        return new StackFileConfigSource(stack, doc.config ?? {}, imports);
    }

    get(namespace: string, key: string): RawValue | undefined {
        const v = this.config[`${namespace}:${key}`];
        if (v === undefined || v === null) {
            return undefined;
        }
        if (typeof v === "object" && !Array.isArray(v) && "secure" in v) {
            return { encrypted: true };
        }
        // `pulumi config set` writes strings; hand-written YAML may hold numbers, booleans or structured values.
        if (typeof v === "string") return { value: v };
        if (typeof v === "number" || typeof v === "boolean") return { value: String(v) };
        return { value: JSON.stringify(v) };
    }
}

/** Path of a layer's stack config file. */
export function stackFile(root: string, layer: Layer, stack: string): string {
    return join(root, "stacks", layer, `Pulumi.${stack}.yaml`);
}

/** The result for one layer. */
export interface LayerCheck {
    layer: Layer;
    issues: ConfigIssue[];
    /** Context the reader needs (an assumption made, values that could not be checked). */
    notes: string[];
}

/** What pre-flight found for a stack. */
export interface PreflightResult {
    ok: boolean;
    layers: LayerCheck[];
    /** The environment settings from the foundation config, when it is valid (used for preview placeholders). */
    environment?: EnvironmentSettings;
}

function collect(fn: () => void): ConfigIssue[] {
    try {
        fn();
        return [];
    } catch (err) {
        if (err instanceof ConfigError) return err.issues;
        throw err;
    }
}

/** Checks all four layers' config of `stack`. Pure apart from reading the stack files. */
export function preflight(root: string, stack: string, services: readonly ServiceSpec[] = SERVICES): PreflightResult {
    const sources = Object.fromEntries(LAYERS.map((l) => [l, StackFileConfigSource.read(root, l, stack)])) as Record<
        Layer,
        StackFileConfigSource | undefined
    >;
    const layers: LayerCheck[] = [];
    const missingFile = (layer: Layer): LayerCheck => ({
        layer,
        issues: [
            {
                key: `stacks/${layer}/Pulumi.${stack}.yaml`,
                problem: "does not exist, so the stack has no config",
                fix: `cd stacks/${layer} && pulumi stack init ${stack} && pulumi config set ...   (see stacks/${layer}/Pulumi.dev.example.yaml)`,
            },
        ],
        notes: [],
    });

    // Foundation decides the environment class the other layers are checked against, and the
    // network the data layer's external database must be reachable through.
    let envClass: EnvironmentClass | undefined;
    let environment: EnvironmentSettings | undefined;
    let network: DataNetwork | undefined;
    const f = sources.foundation;
    if (!f) {
        layers.push(missingFile("foundation"));
    } else {
        const issues = collect(() => {
            const parsed = parseFoundationConfig(f);
            environment = parsed.env;
            network = { externalDatabase: parsed.externalDatabase };
        });
        const raw = f.get(PROJECT_NAMES.foundation, "environmentClass");
        if (environment) envClass = environment.class;
        else if (raw && "value" in raw && (ENVIRONMENT_CLASSES as readonly string[]).includes(raw.value))
            envClass = raw.value as EnvironmentClass;
        layers.push({ layer: "foundation", issues, notes: [] });
    }
    const classNote = envClass ? [] : ["environment class unknown (foundation config invalid): checked as production"];
    envClass ??= "production";

    const d = sources.data;
    layers.push(
        d
            ? { layer: "data", issues: collect(() => parseDataConfig(d, envClass, network)), notes: classNote }
            : missingFile("data"),
    );

    let profile: AppProfile | undefined;
    const s = sources.secrets;
    if (!s) {
        layers.push(missingFile("secrets"));
    } else {
        const issues = collect(() => {
            profile = parseSecretsConfig(s, envClass).profile;
        });
        if (!profile) {
            const rawValue = (k: string) => {
                const r = s.get(PROJECT_NAMES.secrets, k);
                return r && "value" in r ? r.value : undefined;
            };
            const provider = rawValue("defaultSandboxProvider");
            const deployment = rawValue("deploymentProfile") ?? "cloud";
            if (
                provider &&
                (SANDBOX_PROVIDERS as readonly string[]).includes(provider) &&
                (DEPLOYMENT_PROFILES as readonly string[]).includes(deployment)
            ) {
                profile = {
                    defaultSandboxProvider: provider as AppProfile["defaultSandboxProvider"],
                    deploymentProfile: deployment as AppProfile["deploymentProfile"],
                    integrationsEnabled: rawValue("integrationsEnabled") === "true",
                };
            }
        }
        layers.push({ layer: "secrets", issues, notes: classNote });
    }

    const v = sources.services;
    if (!v) {
        layers.push(missingFile("services"));
    } else if (!profile) {
        layers.push({
            layer: "services",
            issues: [],
            notes: [
                "not checked: its rules depend on the secrets layer's profile, which is invalid (fix secrets first)",
            ],
        });
    } else {
        const p = profile;
        layers.push({
            layer: "services",
            issues: collect(() => parseServicesConfig(v, envClass, p, services)),
            notes: classNote,
        });
    }

    // Values imported from Pulumi ESC are invisible here: a "not set" problem may be a false alarm.
    for (const check of layers) {
        const esc = sources[check.layer]?.escEnvironments ?? [];
        if (esc.length > 0) {
            const notSet = check.issues.filter((i) => / not set\.?/.test(i.problem));
            check.issues = check.issues.filter((i) => !notSet.includes(i));
            if (notSet.length > 0) {
                check.notes.push(
                    `imports ESC environment(s) ${esc.join(", ")}; not checked here (ESC may provide them): ${notSet.map((i) => i.key).join(", ")}`,
                );
            }
        }
    }
    return { ok: layers.every((l) => l.issues.length === 0), layers, ...(environment ? { environment } : {}) };
}

/** The report people read. */
export function formatPreflight(stack: string, result: PreflightResult): string {
    const lines: string[] = [];
    for (const check of result.layers) {
        if (check.issues.length === 0) {
            lines.push(`ok    ${check.layer}${check.notes.length > 0 ? ` (${check.notes.join("; ")})` : ""}`);
        } else {
            const n = check.issues.length;
            lines.push(
                `${PROJECT_NAMES[check.layer]} (stack "${stack}"): ${n} configuration problem${n === 1 ? "" : "s"}:`,
                ...issueLines(check.issues),
            );
            for (const note of check.notes) lines.push(`  note: ${note}`);
        }
    }
    const which =
        result.layers.length === LAYERS.length
            ? `all ${LAYERS.length} layers`
            : result.layers.map((l) => l.layer).join(", ");
    lines.push(
        result.ok
            ? `pre-flight: stack "${stack}" config is valid in ${which}`
            : `pre-flight: stack "${stack}" has config problems; nothing was deployed. After fixing them, check again: make check-config STACK=${stack}`,
    );
    return lines.join("\n");
}

/** The repository root: the nearest folder above `from` with a package.json (from scripts/ or dist/scripts/). */
function repositoryRoot(from: string = __dirname): string {
    let dir = from;
    while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
    return dir;
}

/**
 * `make check-config`: checks the stack named by `--stack <name>` or, as make passes it, by
 * PROLIFERATE_STACK; prints the report and returns the exit code (0 valid, 1 problems, 2 usage).
 */
export function main(args: readonly string[] = [], env: NodeJS.ProcessEnv = process.env): number {
    const i = args.indexOf("--stack");
    const given = i >= 0 ? args[i + 1] : env[REQUEST_ENV.stack];
    if (!given) {
        console.error("usage: make check-config STACK=<stack>   (or: node scripts/cli.cjs preflight --stack <stack>)");
        return 2;
    }
    // "org/dev" names the same stack files as "dev": Pulumi.dev.yaml.
    const stack = stackFileName(given);
    const result = preflight(repositoryRoot(), stack);
    console.log(formatPreflight(stack, result));
    return result.ok ? 0 : 1;
}

if (require.main === module) {
    process.exit(main(process.argv.slice(2)));
}
