import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/** The repository root: the nearest folder above `from` with a package.json (from scripts/ or dist/scripts/). */
export function repositoryRoot(from: string = __dirname): string {
    let dir = from;
    while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
    return dir;
}
