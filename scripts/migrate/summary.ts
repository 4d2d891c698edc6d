import { LAYERS } from "../../shared/layers";
import type { MigrationMapping } from "./mapping";

/**
 * The review summary `make migrate-plan` prints: per layer how many resources move, how many the
 * first up creates, how many config keys; then everything a person must decide, with its question.
 * It shows URNs, types, keys and counts, never a config value.
 */
export function formatSummary(m: MigrationMapping, file: string): string {
    const lines = [
        `migration plan: ${m.source.stack} (${m.source.resources} resources, export sha256 ${m.source.exportSha256.slice(0, 12)}…) into stack "${m.target.stack}" of the four layers`,
        "",
        `${"layer".padEnd(12)}${"moves".padStart(6)}${"creates".padStart(9)}${"(stateful)".padStart(12)}${"config keys".padStart(13)}`,
    ];
    for (const layer of LAYERS) {
        const creates = m.creates.filter((c) => c.layer === layer);
        lines.push(
            `${layer.padEnd(12)}${String(m.moves.filter((x) => x.layer === layer).length).padStart(6)}${String(creates.length).padStart(9)}${String(creates.filter((c) => c.stateful).length).padStart(12)}${String(m.config.filter((c) => c.layer === layer).length).padStart(13)}`,
        );
    }
    lines.push(
        `stays in the monolith: ${m.stays.length} (${m.stays
            .map((s) => s.why.split(":")[0])
            .filter((w, i, a) => a.indexOf(w) === i)
            .join("; ")})`,
    );
    const replaced = m.moves.filter((x) => x.replacedFields);
    if (replaced.length > 0) {
        lines.push(
            `replaced by the first up (they hold no state): ${replaced.map((x) => `${x.name} (${x.replacedFields?.join(", ")})`).join("; ")}`,
        );
    }
    const stateful = m.creates.filter((c) => c.stateful);
    if (stateful.length > 0) {
        const names = stateful.map((c) => c.targetUrn.split("::").pop());
        const more = names.length > 10 ? `, … and ${names.length - 10} more (all in the file's "creates")` : "";
        lines.push(
            `stateful resources the first up would CREATE (make migrate-apply refuses them): ${names.slice(0, 10).join(", ")}${more}`,
        );
    }
    const dropped = m.config.filter((c) => c.layer === null);
    if (dropped.length > 0) {
        lines.push(`config keys not copied (${dropped.length}):`, ...dropped.map((c) => `  ${c.from}: ${c.why}`));
    }
    if (m.undecided.length === 0) {
        lines.push("", `Nothing is undecided. Review ${file}, then run make migrate-apply STACK=${m.target.stack}.`);
    } else {
        lines.push("", `UNDECIDED (${m.undecided.length}): nothing can move until each is answered in ${file}:`);
        m.undecided.forEach((u, i) => {
            lines.push(`${String(i + 1).padStart(3)}. ${u.urn}`, `     ${u.question}`);
            if (u.candidates.length > 0) lines.push(`     candidates: ${u.candidates.join(", ")}`);
        });
    }
    return lines.join("\n");
}
