// The informational RPCs: GetRequiredPackages (which plugins to load before the program runs),
// GetProgramDependencies and About (`pulumi about`), and InstallDependencies, which this host answers
// without installing anything — the repository's `npm ci` is the only install step.

import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

import { lookPath } from "./locate";
import { findPluginRequirements, incompatiblePulumiWarning } from "./packages";
import { languagePb, pluginPb, programInfo } from "./proto";
import { trace } from "./trace";

/** GetRequiredPackages; search problems are traced, not fatal, as in Go (which logs them at -v=3). */
export function requiredPackages(
    request: languagePb.GetRequiredPackagesRequest,
): languagePb.GetRequiredPackagesResponse {
    const info = programInfo(request.getInfo());
    const search = findPluginRequirements(info.programDirectory);
    const warning = incompatiblePulumiWarning(search.pulumiVersions);
    // Go writes this to its stderr, which the engine shows to the user.
    if (warning) process.stderr.write(`${warning}\n`);
    trace("GetRequiredPackages.result", {
        programDirectory: info.programDirectory,
        packages: search.requirements.map((r) => `${r.name}@${r.version}`),
        errors: search.errors.length,
    });
    const packages = search.requirements.map((r) => {
        const dependency = new pluginPb.PackageDependency()
            .setName(r.name)
            .setKind("resource")
            .setVersion(r.version)
            .setServer(r.server);
        if (r.parameterization) {
            const p = r.parameterization;
            dependency.setParameterization(
                new pluginPb.PackageParameterization().setName(p.name).setVersion(p.version).setValue(p.value),
            );
        }
        return dependency;
    });
    return new languagePb.GetRequiredPackagesResponse().setPackagesList(packages);
}

/**
 * GetProgramDependencies: the direct dependencies in the program's package.json with the versions
 * installed for it. The Go host asks the package manager (`npm ls`); this host reads the files, and
 * does not list transitive dependencies.
 */
export function programDependencies(
    request: languagePb.GetProgramDependenciesRequest,
): languagePb.GetProgramDependenciesResponse {
    if (request.getTransitivedependencies()) {
        throw new Error("this substitute language host lists direct dependencies only (no --transitive)");
    }
    const { programDirectory } = programInfo(request.getInfo());
    const manifest = join(programDirectory, "package.json");
    if (!existsSync(manifest)) throw new Error(`could not find ${manifest}`);
    const pkg = JSON.parse(readFileSync(manifest, "utf8")) as { dependencies?: object; devDependencies?: object };
    const names = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})].sort();
    const dependencies = names.flatMap((name) => {
        const version = installedVersion(name, programDirectory);
        return version ? [new languagePb.DependencyInfo().setName(name).setVersion(version)] : [];
    });
    return new languagePb.GetProgramDependenciesResponse().setDependenciesList(dependencies);
}

/** The version of `name` that Node would load from `dir` (nearest node_modules upwards); undefined if none. */
function installedVersion(name: string, dir: string): string | undefined {
    for (let d = dir; ; d = dirname(d)) {
        const file = join(d, "node_modules", name, "package.json");
        if (existsSync(file)) return (JSON.parse(readFileSync(file, "utf8")) as { version?: string }).version;
        if (dirname(d) === d) return undefined;
    }
}

/** About: the `node` the host runs programs with, and its version. */
export function about(): languagePb.AboutResponse {
    const node = lookPath("node");
    const response = new languagePb.AboutResponse().setExecutable(node);
    try {
        response.setVersion(execFileSync(node, ["--version"], { encoding: "utf8" }).trim());
    } catch {
        // Like Go: an unknown version is not an error.
    }
    return response;
}

/** The one message InstallDependencies streams. */
export const NOTHING_TO_INSTALL =
    "Nothing to install: this is the project's substitute Node.js language host (test/engine/language-host), " +
    "which never runs a package manager; dependencies come from the repository's `npm ci`.\n";
