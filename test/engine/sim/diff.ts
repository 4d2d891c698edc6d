import { replacePathsOf, replacingPaths, type ReplaceTable } from "./replace-table";
import { deepEqual, type Props } from "./values";

/** What the simulated provider tells the engine about a change of inputs. */
export interface SimulatedDiff {
    /** Top-level inputs whose value changed. */
    changed: string[];
    /** Top-level inputs whose change forces a replacement (a subset of `changed`). */
    replaces: string[];
}

/** Inputs the provider keeps for itself (autoname bookkeeping); never a user-visible change. */
function isInternal(key: string): boolean {
    return key.startsWith("__");
}

/**
 * Diffs old inputs against new checked inputs, the way the bridged provider does: any changed
 * input is an update; one listed in the replace-on-change table (or a nested field of it) is a
 * replacement. An input the engine does not know yet (preview) counts as changed.
 */
export function diffInputs(table: ReplaceTable, type: string, oldInputs: Props, newInputs: Props): SimulatedDiff {
    const keys = new Set([...Object.keys(oldInputs), ...Object.keys(newInputs)]);
    const changed = [...keys].filter((k) => !isInternal(k) && !deepEqual(oldInputs[k], newInputs[k])).sort();
    const paths = replacePathsOf(table, type) ?? [];
    const replaces = new Set(replacingPaths(paths, oldInputs, newInputs).map((p) => p.split(".")[0] as string));
    return { changed, replaces: changed.filter((k) => replaces.has(k)) };
}
