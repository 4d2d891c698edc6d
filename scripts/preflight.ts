/**
 * Pre-flight: checks every layer's stack config for one stack with the same schemas the programs
 * use, before `deploy-all` or `preview-all` touches anything. It reads `stacks/<layer>/Pulumi.<stack>.yaml`
 * with a YAML parser; an encrypted (`secure:`) value counts as present and is never decrypted.
 * The shared library returns the problems as data; this file words them for the command line.
 *
 *   make check-config STACK=dev        (node scripts/cli.cjs preflight [--stack dev])
 */
import { SANDBOX_PROVIDERS, DEPLOYMENT_PROFILES, type AppProfile } from "../shared/app-settings";
import { SERVICES, type ServiceSpec } from "../shared/catalog";
import { parseDataConfig, type DataNetwork } from "../shared/config/data";
import { parseFoundationConfig } from "../shared/config/foundation";
import { ConfigError, issueLines, type ConfigIssue } from "../shared/config/issues";
import { loadAwsRegions } from "../shared/config/regions";
import { parseSecretsConfig } from "../shared/config/secrets";
import { parseServicesConfig } from "../shared/config/services";
import { ENVIRONMENT_CLASSES, type EnvironmentClass, type EnvironmentSettings } from "../shared/environment";
import { LAYERS, PROJECT_NAMES, type Layer } from "../shared/layers";
import { pasteable, placementOf, withExtraChecks, yamlIssue } from "./preflight/extra";
import { StackFileConfigSource, stackFile, type YamlProblem } from "./preflight/stack-file";
import { REQUEST_ENV, stackFileName } from "./runner/request";
import { repositoryRoot } from "./runner/root";

export { StackFileConfigSource, stackFile };

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
    const loaded = Object.fromEntries(LAYERS.map((l) => [l, StackFileConfigSource.load(root, l, stack)])) as Record<
        Layer,
        ReturnType<typeof StackFileConfigSource.load>
    >;
    const yamlProblems: Partial<Record<Layer, YamlProblem>> = {};
    const sources = {} as Record<Layer, StackFileConfigSource | undefined>;
    for (const l of LAYERS) {
        const r = loaded[l];
        if (r && "yaml" in r) yamlProblems[l] = r.yaml;
        sources[l] = r && "source" in r ? r.source : undefined;
    }
    const layers: LayerCheck[] = [];
    const missingFile = (layer: Layer): LayerCheck => {
        const yaml = yamlProblems[layer];
        if (yaml) return { layer, issues: [yamlIssue(yaml)], notes: [] };
        return {
            layer,
            issues: [
                {
                    key: `stacks/${layer}/Pulumi.${stack}.yaml`,
                    problem: `does not exist, so the stack has no config (stacks/${layer}/Pulumi.dev.example.yaml shows the keys)`,
                    // Appending keeps what `stack init` wrote (the passphrase salt, the secrets provider).
                    fix: `(cd stacks/${layer} && pulumi stack init ${stack} && cat Pulumi.dev.example.yaml >> Pulumi.${stack}.yaml)`,
                },
            ],
            notes: [],
        };
    };

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
    const classNote = envClass
        ? []
        : [
              `environment class unknown (foundation ${yamlProblems.foundation ? "file is not valid YAML" : "config invalid"}): checked as production`,
          ];
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
                `not checked: its rules depend on the secrets layer's profile (defaultSandboxProvider, deploymentProfile), which ${whyNoProfile(yamlProblems.secrets !== undefined, s !== undefined)} (fix secrets first)`,
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

    const regions = loadAwsRegions();
    const placement = placementOf(sources.foundation, regions);
    for (const check of layers) {
        const source = sources[check.layer];
        if (source) check.issues = withExtraChecks(check.layer, source, placement, check.issues, regions);
        check.issues = check.issues.map((i) => ({ ...i, fix: pasteable(i.fix, check.layer, stack) }));
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

/** Why the secrets layer's profile is unknown, for the services layer's "not checked" note. */
function whyNoProfile(brokenYaml: boolean, fileExists: boolean): string {
    if (brokenYaml) return "cannot be read: the secrets file is not valid YAML";
    return fileExists ? "is not set or invalid" : "is unknown: the secrets stack file does not exist";
}

/** The report people read. */
export function formatPreflight(stack: string, result: PreflightResult): string {
    const lines: string[] = [];
    for (const check of result.layers) {
        if (check.issues.length === 0) {
            // A layer whose rules need an invalid upstream was not checked: it must not read as "ok".
            const status = check.notes.some((n) => n.startsWith("not checked")) ? "skip" : "ok  ";
            lines.push(`${status}  ${check.layer}${check.notes.length > 0 ? ` (${check.notes.join("; ")})` : ""}`);
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
