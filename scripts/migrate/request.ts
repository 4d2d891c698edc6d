import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { REQUEST_ENV, stackFileName, UsageError, validateStackName } from "../runner/request";
import { MONOLITH_PROJECT } from "./config-map";

/**
 * What `make migrate-plan` was asked, read from the environment make exports and validated before
 * anything runs: each bad value is refused with the make variable's name and a command to paste.
 */

export const MIGRATE_ENV = { source: "PROLIFERATE_SOURCE", sourceDir: "PROLIFERATE_SOURCE_DIR" } as const;

export interface PlanRequest {
    /** `org/proliferate-infra/stack`. */
    source: string;
    /** The layers' stack (`dev` or `org/dev`). */
    stack: string;
    /** Absolute path of the monolith's project folder. */
    sourceDir: string;
}

const NAME = /^[A-Za-z0-9_.-]{1,100}$/;
const EXAMPLE =
    "make migrate-plan SOURCE=acme/proliferate-infra/prod STACK=prod SOURCE_DIR=../proliferate/infra/pulumi";

/** Checks SOURCE: a fully qualified stack of the `proliferate-infra` project. */
export function validateSource(source: string): string {
    const parts = source.split("/");
    if (parts.length !== 3 || !parts.every((p) => NAME.test(p))) {
        throw new UsageError(
            `SOURCE "${source}" is not a fully qualified stack: give <org>/${MONOLITH_PROJECT}/<stack> (the org is "organization" on a file or S3 backend), e.g. ${EXAMPLE}`,
        );
    }
    if (parts[1] !== MONOLITH_PROJECT) {
        throw new UsageError(
            `SOURCE "${source}" names the project "${parts[1]}", but the monolith this migrates is the project "${MONOLITH_PROJECT}": give ${parts[0]}/${MONOLITH_PROJECT}/${parts[2]}, e.g. ${EXAMPLE}`,
        );
    }
    return source;
}

/** Checks SOURCE_DIR: the monolith's project folder with its Pulumi.yaml and the source stack's file. */
export function validateSourceDir(dir: string, source: string, cwd: string): string {
    if (dir === "")
        throw new UsageError(
            `SOURCE_DIR is not set: give the monolith's project folder (the one with its Pulumi.yaml), e.g. ${EXAMPLE}`,
        );
    const abs = resolve(cwd, dir);
    const project = join(abs, "Pulumi.yaml");
    if (!existsSync(project)) {
        throw new UsageError(
            `SOURCE_DIR "${dir}" has no Pulumi.yaml (looked for ${project}): give the monolith's project folder, e.g. ${EXAMPLE}`,
        );
    }
    let name: unknown;
    try {
        name = (parse(readFileSync(project, "utf8")) as { name?: unknown } | null)?.name;
    } catch (err) {
        throw new UsageError(`SOURCE_DIR "${dir}": Pulumi.yaml is not YAML (${(err as Error).message})`);
    }
    if (name !== MONOLITH_PROJECT) {
        throw new UsageError(
            `SOURCE_DIR "${dir}" holds the project "${String(name)}", not "${MONOLITH_PROJECT}": give the monolith's project folder, e.g. ${EXAMPLE}`,
        );
    }
    const stackFile = join(abs, `Pulumi.${stackFileName(source)}.yaml`);
    if (!existsSync(stackFile)) {
        throw new UsageError(
            `SOURCE_DIR "${dir}" has no Pulumi.${stackFileName(source)}.yaml: the monolith's config for ${source} is read from there (copy it from where the monolith is deployed from), then run the command again`,
        );
    }
    return abs;
}

export function readPlanRequest(env: NodeJS.ProcessEnv, cwd: string): PlanRequest {
    const source = validateSource(env[MIGRATE_ENV.source] ?? "");
    let stack: string;
    try {
        stack = validateStackName(env[REQUEST_ENV.stack] ?? "");
    } catch (err) {
        // The runner's message names preview-all; say it for this command.
        throw new UsageError((err as Error).message.replace(/Example: .*$/, `Example: ${EXAMPLE}`));
    }
    return { source, stack, sourceDir: validateSourceDir(env[MIGRATE_ENV.sourceDir] ?? "", source, cwd) };
}
