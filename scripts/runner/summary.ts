/** The table every multi-layer run ends with: one row per layer, from the engine's own counts. */
import type { Layer } from "../../shared/layers";
import type { ChangeCounts } from "./pulumi-process";

/** Result of one layer in a run. */
export type LayerOutcome =
    | "ok"
    | "changed"
    | "failed"
    | "interrupted"
    | "not started"
    | "no changes"
    | "drifted"
    | "could not check"
    | "no stack"
    | "refused";

/** One row of the summary. */
export interface LayerResult {
    layer: Layer;
    outcome: LayerOutcome;
    changes?: ChangeCounts | null;
    durationMs?: number;
    /** Why it failed, drifted or could not be checked. */
    note?: string;
    /** Stopped by the TIMEOUT time limit. */
    timedOut?: boolean;
}

function count(c: ChangeCounts | null | undefined, key: keyof ChangeCounts): string {
    return c ? String(c[key]) : "-";
}

/** Formats the summary table of a run. */
export function formatSummary(action: string, stack: string, results: readonly LayerResult[]): string {
    const header = ["layer", "result", "create", "update", "replace", "delete", "duration"];
    const rows = results.map((r) => [
        r.layer,
        r.outcome,
        count(r.changes, "create"),
        count(r.changes, "update"),
        count(r.changes, "replace"),
        count(r.changes, "delete"),
        r.durationMs === undefined ? "-" : `${(r.durationMs / 1000).toFixed(1)}s`,
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
    const line = (cells: string[]) =>
        `  ${cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ")}`;
    const notes = results.filter((r) => r.note).map((r) => `  ${r.layer}: ${r.note ?? ""}`);
    return [`${action} summary for stack "${stack}":`, line(header), ...rows.map(line), ...notes].join("\n");
}
