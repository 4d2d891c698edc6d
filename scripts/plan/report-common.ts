import type { PlanDocument, PlanLayer, PlanOutput, PlanResource } from "./document";

/**
 * What the Markdown and HTML reports of a plan share: escaping, the verdict, the notice that every
 * id is fake and every price a list price, and the one place that turns an output into text (a
 * secret output is `[secret]` whatever the document carries). Pure functions of a PlanDocument.
 */

/** How a secret output is shown. */
export const SECRET_TEXT = "[secret]";
/** Longest output value shown, in characters (the rest is cut with `...`). */
export const VALUE_LIMIT = 160;

/** `text` safe as HTML text or as a double- or single-quoted attribute value. */
export function escapeHtml(text: string): string {
    return text
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/"/g, "&quot;")
        .replace(/'/g, "&#39;");
}

/**
 * `text` as literal inline Markdown (GitHub flavour), also inside a table cell: HTML is neutralised
 * as entities, Markdown punctuation is backslash-escaped (`|` as `\|`, which GFM tables honour even
 * in code; `$` against GitHub's math; `:` against emoji codes such as `:x:`), `@` becomes an entity
 * so that a value never mentions a user, line breaks become spaces.
 */
export function escapeMarkdown(text: string): string {
    return (
        text
            .replace(/[\r\n]+/g, " ")
            .replace(/[\\`*_[\]#|~:$]/g, (c) => `\\${c}`)
            // After the backslashes, so that the `#` of `&#64;` stays as it is.
            .replace(/&/g, "&amp;")
            .replace(/</g, "&lt;")
            .replace(/>/g, "&gt;")
            .replace(/@/g, "&#64;")
    );
}

/**
 * `text` with its code spans (names in backticks, as the plan's messages write them) rendered by
 * `code` and the rest by `plain`; a lone backtick stays plain text.
 */
export function withCodeSpans(text: string, plain: (s: string) => string, code: (s: string) => string): string {
    return text
        .split(/`([^`\n]+)`/)
        .map((part, i) => (i % 2 === 1 ? code(part) : plain(part)))
        .join("");
}

/** USD with cents; a delta gets its sign. */
export function usd(n: number, signed = false): string {
    const text = `$${Math.abs(n).toFixed(2)}`;
    if (!signed) return n < 0 ? `-${text}` : text;
    return n > 0 ? `+${text}` : n < 0 ? `-${text}` : `±${text}`;
}

/** The verdict in a few words, from the document's exit code and what caused it. */
export function verdict(doc: PlanDocument): { ok: boolean; text: string } {
    if (doc.problems !== undefined) return { ok: false, text: "no plan" };
    const reasons: string[] = [];
    if (doc.totals.mandatoryViolations > 0)
        reasons.push(`${doc.totals.mandatoryViolations} mandatory policy violation(s)`);
    if ((doc.diff?.errors ?? 0) > 0) reasons.push(`${doc.diff?.errors} contract error(s)`);
    if (reasons.length > 0) return { ok: false, text: reasons.join(", ") };
    // A non-zero code with no cause the document names is still a failed plan: say so, not "planned".
    return doc.code === 0 ? { ok: true, text: "planned" } : { ok: false, text: `exit code ${doc.code}` };
}

/** The commit as shown: a hash shortened to 12 characters (`+working-tree` kept), anything else as is. */
export const shortCommit = (commit: string): string => commit.replace(/^([0-9a-f]{12})[0-9a-f]{28}/, "$1");

/** What every report says once: nothing is real, and where the prices come from. */
export function fakeNotice(doc: PlanDocument): string[] {
    return [
        `Nothing was deployed: the four layer programs ran offline under Pulumi mocks. Every id, ARN, endpoint and image shown is fake.`,
        `Costs are estimates from on-demand list prices in ${doc.prices.file} as of ${doc.prices.asOf} (region ${doc.region}); no taxes, credits or discounts; verify before relying on them.`,
    ];
}

/** Where the config came from, in one sentence; `brief` counts the files and placeholders instead of naming them. */
export function configSource(doc: PlanDocument, brief = false): string {
    const { files, placeholders, source } = doc.config;
    const named = (items: string[], what: string) => (brief ? `${items.length} ${what}` : items.join(", "));
    const from =
        source === "examples"
            ? `the checked-in examples (stack "${doc.stack}" has no stack files): ${named(files, "file(s)")}`
            : `the stack files: ${named(files, "file(s)")}`;
    const filled =
        placeholders.length > 0 ? `; secrets filled with fake placeholders: ${named(placeholders, "key(s)")}` : "";
    return `Config from ${from}${filled}.`;
}

/**
 * An output's value as text. A secret output is `[secret]` without its `value` ever being read, so
 * a document that wrongly carries one still prints nothing of it.
 */
export function outputText(output: PlanOutput, limit = VALUE_LIMIT): string {
    if (output.secret) return SECRET_TEXT;
    let text: string;
    try {
        text = JSON.stringify(output.value) ?? "undefined";
    } catch {
        text = String(output.value);
    }
    return text.length > limit ? `${text.slice(0, limit - 3)}...` : text;
}

/** The last part of a type token: `aws:rds/instance:Instance` → `Instance`. */
export const shortType = (type: string): string => type.split(":").pop() ?? type;

/** The settings of a resource as `key=value` words. */
export const settingsText = (r: PlanResource): string =>
    Object.entries(r.settings)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(" ");

/** The layers in deploy order (by `order`, whatever order the document lists them in). */
export const inDeployOrder = (doc: PlanDocument): PlanLayer[] => [...doc.layers].sort((a, b) => a.order - b.order);

/** At most `max` items, and how many were left out. */
export function cap<T>(items: readonly T[], max: number): { shown: T[]; more: number } {
    return { shown: items.slice(0, Math.max(0, max)), more: Math.max(0, items.length - Math.max(0, max)) };
}

/** The word for what was left out of a list. */
export const andMore = (n: number): string => `… and ${n} more`;

/** Seconds as shown. */
export const seconds = (n: number): string => `${Math.round(n)} s`;
