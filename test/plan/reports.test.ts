import { expect } from "chai";
import { boxItems, diagramEdges } from "../../scripts/plan/diagram";
import type { PlanDocument, PlanResource } from "../../scripts/plan/document";
import { planDocumentSchema } from "../../scripts/plan/document-schema";
import { renderHtml, REPORT_CSP } from "../../scripts/plan/html";
import { GITHUB_COMMENT_LIMIT, MARKDOWN_BUDGET, renderMarkdown } from "../../scripts/plan/markdown";
import { HOSTILE_VALUE, planDocument, problemsDocument, SECRET_CANARY } from "./fixtures/plan-document";

/** The Markdown and HTML renderers of a plan document, from the hand-written fixture. */

/** Cells of a Markdown table row: `|` not escaped by a backslash separates them. */
const cells = (row: string): number => row.split(/(?<!\\)\|/).length - 2;

/** `doc` with `n` more added resources in the data layer's diff, and `n` long advisory violations. */
function huge(n: number): PlanDocument {
    const doc = planDocument();
    const data = doc.diff?.layers.find((l) => l.layer === "data");
    data?.added.push(...Array.from({ length: n }, (_, i) => `aws:s3/bucket:Bucket::extra-${i}`));
    doc.layers[1]?.policies.violations.push(
        ...Array.from({ length: n }, (_, i) => ({
            policy: `p-${i}`,
            level: "advisory" as const,
            message: `violation ${i} ${"x".repeat(300)}`,
        })),
    );
    return doc;
}

describe("plan report: the fixture", () => {
    it("is a valid version-1 plan document (the run-time schema)", () => {
        for (const doc of [planDocument(), problemsDocument(), huge(3)]) {
            const r = planDocumentSchema.safeParse(doc);
            expect(r.success, r.error?.message).to.equal(true);
        }
    });
});

describe("plan report: Markdown (pull-request comment)", () => {
    it("puts the contract error first, naming the consumers and the safe order", () => {
        const md = renderMarkdown(planDocument());
        const caution = md.indexOf("[!CAUTION]");
        expect(caution, md).to.be.greaterThan(0);
        expect(caution).to.be.lessThan(md.indexOf("#### Changes against"));
        expect(caution).to.be.lessThan(md.indexOf("#### Layers"));
        const error = md.split("\n").find((l) => l.startsWith("> - ")) ?? "";
        expect(error).to.include("but data and services read it at BASE");
        expect(error).to.include(
            "Safe order\\: 1) deploy data and services with code that no longer reads <code>privateSubnetIds</code>; 2) then deploy foundation.",
        );
        expect(md.split("\n")[0]).to.match(/^### ❌ .*dev.*0123456789ab.*1 contract error/);
    });

    it("escapes HTML and Markdown in values: no raw tag, and no row of any table gets an extra cell", () => {
        const md = renderMarkdown(planDocument());
        expect(md).not.to.match(/<script/i);
        expect(md).to.include("&lt;script&gt;alert('plan')&lt;/script&gt;\\|pipe");
        const rows = md.split("\n").filter((l) => l.startsWith("|"));
        expect(rows.length).to.be.greaterThan(10);
        const lines = md.split("\n");
        let width = 0;
        lines.forEach((line, i) => {
            if (!line.startsWith("|")) return;
            // A table's first row sets the width; its separator and data rows must match it.
            if (!lines[i - 1]?.startsWith("|")) width = cells(line);
            expect(cells(line), line).to.equal(width);
        });
    });

    it("escapes a stack or ref that holds Markdown, and never mentions a user", () => {
        const doc = planDocument();
        doc.stack = "dev_*x*";
        if (doc.diff) doc.diff.base.ref = "@octocat/[x](y)";
        const md = renderMarkdown(doc);
        expect(md).to.include("dev\\_\\*x\\*");
        expect(md).to.include("&#64;octocat/\\[x\\](y)");
        expect(md).not.to.include("@octocat");
    });

    it("shows the diff counts per layer, the keys folded in <details>, and the cost delta", () => {
        const md = renderMarkdown(planDocument());
        expect(md).to.include("| data | 1 | 1 | 1 | 1 | +\\$5.84 |");
        expect(md).to.include("| services | 0 | 0 | 0 | 0 | -\\$2.50 |");
        const details = md.slice(md.indexOf("<details>"), md.indexOf("</details>"));
        expect(details).to.include("postgres-instance</code> (dbName)");
        expect(details).to.include("redis-old");
        expect(md).to.include("+\\$3.34/month");
    });

    it("says that ids are fake and prices are list prices from the table as of its date; never prints a secret", () => {
        const md = renderMarkdown(planDocument());
        expect(md).to.match(/Every id, ARN, endpoint and image shown is fake/);
        expect(md).to.include("list prices in shared/data/aws-prices.json as of 2026-11-25");
        expect(md).not.to.include(SECRET_CANARY);
    });

    it("cuts long lists with '… and N more' and stays under GitHub's comment limit", () => {
        const n = 5000;
        const md = renderMarkdown(huge(n));
        expect(md.length).to.be.at.most(MARKDOWN_BUDGET);
        expect(MARKDOWN_BUDGET).to.be.lessThan(GITHUB_COMMENT_LIMIT);
        const shown = md.match(/Bucket\\:\\:extra-\d+/g)?.length ?? 0;
        expect(shown).to.be.greaterThan(0);
        // The fixture's own added key is listed first, so every extra key not shown is counted.
        expect(md).to.include(`… and ${n - shown} more`);
        expect(md.split("\n").filter((l) => l.includes("<details>")).length).to.equal(
            md.split("\n").filter((l) => l.includes("</details>")).length,
        );
        // The contract error survives the cut.
        expect(md).to.include("[!CAUTION]");
    });

    it("cuts at a line, closing an open <details>, when even the shortest lists do not fit the budget", () => {
        const md = renderMarkdown(planDocument(), 1500);
        expect(md.length).to.be.at.most(1500);
        expect(md).to.include("the rest was cut to stay under 1500 characters; the HTML report has all of it");
        expect((md.match(/<details>/g) ?? []).length).to.equal((md.match(/<\/details>/g) ?? []).length);
        // What fails the plan is never cut to a count.
        expect(md).to.include("but data and services read it at BASE");
    });

    it("with config problems: the pre-flight report in a code block and nothing else", () => {
        const md = renderMarkdown(problemsDocument());
        expect(md).to.include('pulumi config set --secret dbPassword "..." --stack dev -C stacks/data');
        const fence = md.match(/^`{3,}$/m)?.[0] ?? "";
        // Longer than the ``` inside the report, so that it cannot close the block early.
        expect(fence.length).to.be.greaterThan(3);
        expect(md.split("\n").filter((l) => l === fence).length).to.equal(2);
        expect(md.split("\n")[0]).to.match(/^### ❌ .*: no plan$/);
        for (const absent of ["#### Layers", "| ", "<details>", "[!CAUTION]"]) expect(md).not.to.include(absent);
    });

    it("cuts a huge pre-flight report under the budget", () => {
        const doc = problemsDocument();
        doc.problems = Array.from({ length: 20_000 }, (_, i) => `problem ${i}: a key is wrong`).join("\n");
        const md = renderMarkdown(doc);
        expect(md.length).to.be.at.most(MARKDOWN_BUDGET);
        const kept = md.match(/^problem \d+/gm)?.length ?? 0;
        expect(md).to.include(`… and ${20_000 - kept} more line(s)`);
    });

    it("without BASE: no diff section and no contract block; a clean plan says so", () => {
        const doc = planDocument();
        delete doc.diff;
        doc.code = 0;
        doc.totals.mandatoryViolations = 0;
        const md = renderMarkdown(doc);
        expect(md).not.to.include("Changes against");
        expect(md).not.to.include("[!CAUTION]");
        expect(md.split("\n")[0]).to.match(/^### ✅ .*: planned$/);
    });
});

describe("plan report: HTML", () => {
    const html = renderHtml(planDocument());

    it("is self-contained: a strict CSP, no script, and no URL to load", () => {
        expect(html).to.include(
            `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP.replace(/'/g, "&#39;")}">`,
        );
        expect(REPORT_CSP).to.equal("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
        for (const tag of ["<script", "<link", "<img", "<iframe", "<object", "<embed", "<base", "@import", "url("])
            expect(html.toLowerCase(), tag).not.to.include(tag);
        // Only in-page anchors: any attribute naming another resource (http:, https:, //, file:) fails.
        const attrs = html.match(/\b(?:src|href|srcset|action|poster|xlink:href|xmlns)\s*=\s*"[^"]*"/gi) ?? [];
        expect(attrs.length).to.be.greaterThan(3);
        for (const attr of attrs) expect(attr).to.match(/^href="#[\w-]+"$/);
    });

    it("escapes every value: the script value is text, the secret is [secret] and its value never printed", () => {
        expect(html).to.include("&lt;script&gt;alert(&#39;plan&#39;)&lt;/script&gt;|pipe");
        expect(html).not.to.include(HOSTILE_VALUE);
        expect(html).not.to.include(SECRET_CANARY);
        expect(html).to.match(
            /<code>databaseUrl<\/code><\/td><td><code>string<\/code><\/td><td><span class="secret">\[secret\]<\/span>/,
        );
    });

    it("draws the four layers in deploy order with one labelled arrow per (consumer, upstream) pair", () => {
        const doc = planDocument();
        doc.layers.reverse();
        const page = renderHtml(doc);
        const boxes = [...page.matchAll(/data-layer="([a-z]+)"/g)].map((m) => m[1]);
        expect(boxes).to.deep.equal(["foundation", "data", "secrets", "services"]);
        const edges = [...page.matchAll(/data-edge="([^"]+)"/g)].map((m) => m[1]);
        expect(edges.sort()).to.deep.equal(
            ["data&lt;-foundation", "secrets&lt;-data", "services&lt;-foundation", "services&lt;-secrets"].sort(),
        );
        const edge = page.slice(page.indexOf('data-edge="data&lt;-foundation"'));
        const label = edge.slice(0, edge.indexOf("</g>"));
        expect(label).to.include("foundation → data:");
        for (const output of ["privateSubnetIds", "redisSecurityGroupId"]) expect(label).to.include(output);
    });

    it("shows the resource tree under parents, the contract error first, the rollout over its goal", () => {
        expect(html).to.match(
            /data-resource="proliferate:data:RedisCache::redis">.*?<ul><li data-resource="aws:elasticache\/replicationGroup:ReplicationGroup::redis-group">/,
        );
        expect(html.indexOf('id="contract-errors"')).to.be.lessThan(html.indexOf('id="diagram"'));
        expect(html).to.include("no longer reads <code>privateSubnetIds</code>; 2) then deploy foundation.</li>");
        expect(html).to.match(/proliferate-dev-gateway<\/code><\/td><td>170 s<\/td><td>120 s<\/td>.*over by 50 s/);
        expect(html).to.include("[UNPRICED]");
    });

    it("with config problems: only the pre-flight report, escaped", () => {
        const page = renderHtml(problemsDocument());
        expect(page).to.include('<section id="problems"');
        expect(page).to.include("```tricky``` &lt;b&gt;|&lt;/b&gt;");
        for (const absent of ['id="diagram"', 'class="layer"', 'id="summary"']) expect(page).not.to.include(absent);
    });

    it("renders a document whose parents form a cycle, each resource once", () => {
        const doc = planDocument();
        const [a, b] = doc.layers[0]?.resources ?? [];
        if (!a || !b) throw new Error("fixture changed");
        a.parent = b.key;
        b.parent = a.key;
        const page = renderHtml(doc);
        expect(page.split(`data-resource="${a.key}"`).length - 1).to.equal(1);
        expect(page.split(`data-resource="${b.key}"`).length - 1).to.equal(1);
    });
});

describe("plan report: diagram pieces", () => {
    it("boxes list every resource when few, and the top-level ones plus a count when many", () => {
        const r = (name: string, parent?: string, custom = true): PlanResource => ({
            key: `t:m:T::${name}`,
            type: "t:m:T",
            name,
            ...(parent ? { parent } : {}),
            custom,
            settings: {},
            inputDigests: {},
        });
        expect(boxItems([r("a"), r("b")])).to.deep.equal(["T a", "T b"]);
        const many = [r("main", undefined, false), ...Array.from({ length: 20 }, (_, i) => r(`c${i}`, "t:m:T::main"))];
        expect(boxItems(many)).to.deep.equal(["T main", "+ 20 more"]);
    });

    it("edges join the outputs each consumer reads from each upstream, without self-reads", () => {
        const edges = diagramEdges(planDocument().layers);
        expect(edges.find((e) => e.consumer === "services" && e.upstream === "foundation")?.outputs).to.deep.equal([
            "vpcId",
            "privateSubnetIds",
        ]);
        expect(edges.some((e) => e.consumer === e.upstream)).to.equal(false);
    });
});
