// GetRequiredPackages: the resource plugins a program needs, read the way the Go host reads them —
// every package.json below a `node_modules` directory under the program directory whose `pulumi`
// section says `"resource": true` (e.g. @pulumi/aws → aws v7.48.0). Only the program directory is
// searched, not its parents: a program whose node_modules sits higher up (stacks/<layer> in this
// repository) gets an empty list, and the engine then learns its providers from the resources the
// program registers, exactly as under the real host.

import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { basename, join } from "node:path";

/** A package's plugin requirement, as GetRequiredPackagesResponse carries it. */
export interface PluginRequirement {
    name: string;
    /** Semver with a leading `v`, as the Go host sends it. */
    version: string;
    /** Download URL from the package's `pulumi.server`; empty for the default location. */
    server: string;
    parameterization: { name: string; version: string; value: Uint8Array } | undefined;
}

/** The fields of a package.json this host reads. */
export interface PackageJson {
    name?: string;
    version?: string;
    pulumi?: {
        resource?: boolean;
        name?: string;
        version?: string;
        server?: string;
        parameterization?: { name?: string; version?: string; value?: string };
    };
}

/** The requirement a package.json declares, undefined if none; throws for a malformed `pulumi` section. */
export function pluginRequirement(pkg: PackageJson): PluginRequirement | undefined {
    const section = pkg.pulumi;
    if (!section?.resource) return undefined;
    let name = section.name;
    if (!name) {
        if (!pkg.name) throw new Error('missing expected "name" property');
        // Only @pulumi/<x> may leave the plugin name implicit; third-party packages must name it.
        if (!pkg.name.startsWith("@pulumi/")) {
            throw new Error(
                `Missing property "name" for the third-party plugin '${pkg.name}' inside package.json under the "pulumi" section.`,
            );
        }
        name = pkg.name.slice("@pulumi/".length);
    }
    const version = section.version || pkg.version;
    if (!version) throw new Error('Missing expected "version" property');
    const p = section.parameterization;
    return {
        name,
        version: version.startsWith("v") ? version : `v${version}`,
        server: section.server ?? "",
        // Go unmarshals the []byte `value` from base64, as encoding/json does.
        parameterization: p
            ? { name: p.name ?? "", version: p.version ?? "", value: Buffer.from(p.value ?? "", "base64") }
            : undefined,
    };
}

/** Result of a search: the requirements, every @pulumi/pulumi version seen, and the problems met. */
export interface PackageSearch {
    requirements: PluginRequirement[];
    pulumiVersions: Map<string, string>;
    errors: string[];
}

/** Walks `dir` deeply (following symlinks once) like the Go host's getPackagesFromDir. */
export function findPluginRequirements(dir: string): PackageSearch {
    const search: PackageSearch = { requirements: [], pulumiVersions: new Map(), errors: [] };
    walk(dir, false, new Set(), search);
    return search;
}

function walk(dir: string, inNodeModules: boolean, visited: Set<string>, search: PackageSearch): void {
    let real: string;
    try {
        real = realpathSync(dir);
    } catch (err) {
        search.errors.push(`resolving ${dir}: ${(err as Error).message}`);
        return;
    }
    if (visited.has(real)) return;
    visited.add(real);
    let entries;
    try {
        entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
        search.errors.push(`reading plugin dir ${dir}: ${(err as Error).message}`);
        return;
    }
    const childrenInNodeModules = inNodeModules || basename(dir) === "node_modules";
    for (const entry of entries) {
        const path = join(dir, entry.name);
        let isDir = entry.isDirectory();
        if (entry.isSymbolicLink()) {
            try {
                isDir = statSync(path).isDirectory();
            } catch (err) {
                search.errors.push(`resolving link in plugin dir ${path}: ${(err as Error).message}`);
                continue;
            }
        }
        if (isDir) {
            // A nested policy pack's plugins are not the program's dependencies.
            if (!isPolicyPack(path)) walk(path, childrenInNodeModules, visited, search);
        } else if (inNodeModules && entry.name === "package.json") {
            readPackage(path, search);
        }
    }
}

function readPackage(path: string, search: PackageSearch): void {
    try {
        const pkg = JSON.parse(readFileSync(path, "utf8")) as PackageJson;
        if (pkg.name === "@pulumi/pulumi" && pkg.version) search.pulumiVersions.set(path, pkg.version);
        const requirement = pluginRequirement(pkg);
        if (requirement) search.requirements.push(requirement);
    } catch (err) {
        search.errors.push(`unmarshaling package.json ${path}: ${(err as Error).message}`);
    }
}

function isPolicyPack(dir: string): boolean {
    return existsSync(join(dir, "PulumiPolicy.yaml")) || existsSync(join(dir, "PulumiPolicy.yml"));
}

/**
 * The Go host's warning when two copies of @pulumi/pulumi differ in major version (3.x alongside
 * 2.x breaks the SDK's process-wide state); undefined when they agree.
 */
export function incompatiblePulumiWarning(versions: ReadonlyMap<string, string>): string | undefined {
    const [first, ...rest] = [...versions.entries()];
    if (!first) return undefined;
    const major = (v: string) => Number.parseInt(v.replace(/^v/, ""), 10);
    const clash = rest.find(([, v]) => major(v) !== major(first[1]));
    if (!clash) return undefined;
    return [
        "Found incompatible versions of @pulumi/pulumi. Differing major versions are not supported.",
        `  Version ${first[1]} referenced at ${first[0]}`,
        `  Version ${clash[1]} referenced at ${clash[0]}`,
    ].join("\n");
}
