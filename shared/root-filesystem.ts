import type { ServiceSpec } from "./catalog";

/**
 * The container's root filesystem settings from its catalog row: read-only (Security Hub ECS.5)
 * with one ephemeral task volume per writable path, unless the row says why it needs a writable
 * root. Pure, so the layer tests and the policy pack read the same answer.
 */

/** A Fargate task volume with no host path: task storage that lives and dies with the task. */
export interface TaskVolume {
    /** Volume name, referenced by the mount point. */
    name: string;
}

/** Where a task volume is mounted in the container. */
export interface MountPoint {
    /** The volume's name. */
    sourceVolume: string;
    /** Absolute path in the container. */
    containerPath: string;
    /** Always false: the point of the volume is to be written. */
    readOnly: false;
}

/** What the task definition and its container get. */
export interface RootFilesystem {
    /** `readonlyRootFilesystem` of the container. */
    readonlyRootFilesystem: boolean;
    /** `volumes` of the task definition. */
    volumes: TaskVolume[];
    /** `mountPoints` of the container. */
    mountPoints: MountPoint[];
}

/** Volume name of a path: `/var/cache/app` -> `var-cache-app` (letters, digits, hyphens, underscores). */
export function volumeName(path: string): string {
    return (
        path
            .replace(/^\/+|\/+$/g, "")
            .replace(/[^A-Za-z0-9_-]+/g, "-")
            .slice(0, 255) || "root"
    );
}

/** The root filesystem settings of a service. */
export function rootFilesystem(spec: Pick<ServiceSpec, "writablePaths" | "writableRoot">): RootFilesystem {
    if (spec.writableRoot !== undefined) return { readonlyRootFilesystem: false, volumes: [], mountPoints: [] };
    const paths = [...new Set(spec.writablePaths ?? [])].sort();
    return {
        readonlyRootFilesystem: true,
        volumes: paths.map((p) => ({ name: volumeName(p) })),
        mountPoints: paths.map((p) => ({ sourceVolume: volumeName(p), containerPath: p, readOnly: false })),
    };
}
