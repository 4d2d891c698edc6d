import { expect } from "chai";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { connectionTableBlock, renderAll, TARGETS, type RenderedFile } from "../../scripts/config-docs";
import { SERVICES } from "../../shared/catalog";

const ROOT = resolve(__dirname, "..", "..", "..");
const read = (relative: string) => readFileSync(join(ROOT, relative), "utf8");

describe("generated config reference", function () {
    // The README's cost table plans the dev and prod examples (about 2 s).
    this.timeout(60000);
    let files: RenderedFile[] = [];
    before(async () => {
        files = await renderAll();
    });
    for (const { relative } of TARGETS) {
        it(`${relative} matches its sources: schemas, catalog, policies, plans (run \`make docs\` to update)`, () => {
            const f = files.find((x) => x.relative === relative);
            expect(f, relative).not.to.equal(undefined);
            expect(f?.current).to.equal(f?.expected);
        });
    }

    it("each generated table lives in exactly one file: docs/, not the README or a Pulumi.yaml", () => {
        const docs = readdirSync(join(ROOT, "docs"))
            .filter((f) => f.endsWith(".md"))
            .map((f) => `docs/${f}`);
        const layerFiles = readdirSync(join(ROOT, "stacks"))
            .map((l) => `stacks/${l}/Pulumi.yaml`)
            .filter((f) => existsSync(join(ROOT, f)));
        const places = (marker: string) =>
            ["README.md", ...docs, ...layerFiles].filter((f) => read(f).includes(marker));
        expect(places("BEGIN CONFIG REFERENCE")).to.deep.equal(["docs/configuration.md"]);
        expect(places("BEGIN SECRET MAPPING")).to.deep.equal(["docs/configuration.md"]);
        expect(places("BEGIN POLICY TABLE")).to.deep.equal(["docs/policy-pack.md"]);
        expect(places("BEGIN CONNECTION TABLE")).to.deep.equal(["docs/architecture.md"]);
    });
});

/** GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces to hyphens. */
function anchor(heading: string): string {
    return heading
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, "")
        .replace(/ /g, "-");
}

/** Every `[text](target)` link of a Markdown file that points into the repository. */
function localLinks(markdown: string): string[] {
    return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] as string).filter((t) => !/^[a-z]+:/.test(t));
}

describe("generated connection table", () => {
    it("has a row for every connection of the catalog, naming the rule pair foundation creates for it", () => {
        const table = connectionTableBlock();
        for (const s of SERVICES) {
            for (const c of s.connections) {
                expect(table, `${s.name} ${c.variable}`).to.match(
                    new RegExp(`\\| ${s.name} \\| \`${c.variable}\` \\|`),
                );
            }
        }
        expect(table).to.include("egress `worker-task` → `gateway-task`; ingress `gateway-task` ← `worker-task`");
        expect(table).to.include("http://gateway.internal:8080");
    });
});

describe("README and docs", () => {
    const files = [
        "README.md",
        ...readdirSync(join(ROOT, "docs"))
            .filter((f) => f.endsWith(".md"))
            .map((f) => `docs/${f}`),
    ];

    it("the README is a door, not the house: at most 10 KB", () => {
        expect(statSync(join(ROOT, "README.md")).size).to.be.at.most(10 * 1024);
    });

    for (const file of files) {
        it(`every link of ${file} reaches an existing file and heading`, () => {
            const broken: string[] = [];
            for (const link of localLinks(read(file))) {
                const [path = "", hash] = link.split("#");
                const target = path === "" ? file : join(dirname(file), path);
                if (!existsSync(join(ROOT, target))) {
                    broken.push(link);
                    continue;
                }
                if (hash !== undefined) {
                    const headings = [...read(target).matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1] as string));
                    if (!headings.includes(hash)) broken.push(link);
                }
            }
            expect(broken).to.deep.equal([]);
        });
    }

    it("the README links every docs page", () => {
        const links = localLinks(read("README.md")).map((l) => l.split("#")[0]);
        for (const doc of files.filter((f) => f.startsWith("docs/"))) expect(links, doc).to.include(doc);
    });
});
