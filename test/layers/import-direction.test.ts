import { expect } from "chai";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/**
 * The import rules of docs/architecture.md ("Rules for contributors"), checked over the sources:
 * arrows point down (stacks → shared, scripts → shared and policy), never back up.
 */

const ROOT = resolve(__dirname, "..", "..", "..");

/** Every .ts file under `dir`, relative to the repository root. */
function sources(dir: string): string[] {
    const full = join(ROOT, dir);
    return readdirSync(full).flatMap((entry) => {
        const path = join(full, entry);
        if (statSync(path).isDirectory()) return entry === "node_modules" ? [] : sources(relative(ROOT, path));
        return entry.endsWith(".ts") ? [relative(ROOT, path)] : [];
    });
}

/** The repository-relative targets of a file's relative imports (static and dynamic). */
function importsOf(file: string): string[] {
    const text = readFileSync(join(ROOT, file), "utf8");
    const specifiers = [...text.matchAll(/(?:from\s+|import\(\s*)"(\.{1,2}\/[^"]*)"/g)].map((m) => m[1] as string);
    return specifiers.map((s) => relative(ROOT, resolve(ROOT, dirname(file), s)));
}

/** `file → target` for every import of `files` whose target matches `forbidden`. */
function violations(files: string[], forbidden: (target: string, file: string) => boolean): string[] {
    return files.flatMap((file) =>
        importsOf(file)
            .filter((target) => forbidden(target, file))
            .map((target) => `${file} → ${target}`),
    );
}

const under = (target: string, ...dirs: string[]) => dirs.some((d) => target === d || target.startsWith(`${d}/`));

describe("import direction (docs/architecture.md)", () => {
    it("a layer program imports shared/ only: never another layer, scripts/, policy/ or test/", () => {
        const found = violations(sources("stacks"), (target, file) => {
            const own = file.split("/").slice(0, 2).join("/");
            return !under(target, "shared", own);
        });
        expect(found).to.deep.equal([]);
    });

    it("shared/ never imports stacks/, scripts/, policy/ or test/", () => {
        expect(
            violations(sources("shared"), (target) => under(target, "stacks", "scripts", "policy", "test")),
        ).to.deep.equal([]);
    });

    it("components take plain arguments: they never read config, contracts or upstream stacks", () => {
        const found = violations(
            sources("shared/components"),
            (target) =>
                (under(target, "shared/config") && target !== "shared/config/formats") ||
                under(target, "shared/contracts", "shared/open-layer"),
        );
        expect(found).to.deep.equal([]);
    });

    it("contracts do not import config, components or the layer opener", () => {
        expect(
            violations(sources("shared/contracts"), (target) =>
                under(target, "shared/config", "shared/components", "shared/open-layer"),
            ),
        ).to.deep.equal([]);
    });

    it("the policy pack imports only itself and leaf modules of shared/", () => {
        const leaves = ["shared/catalog", "shared/domains", "shared/layers", "shared/tags"];
        expect(
            violations(sources("policy"), (target) => !under(target, "policy") && !leaves.includes(target)),
        ).to.deep.equal([]);
    });

    it("shared/domains, which the policy pack shares with the config, imports nothing: it stays a leaf", () => {
        expect(importsOf("shared/domains.ts")).to.deep.equal([]);
    });

    it("scripts/ never import stacks/ or test/", () => {
        expect(violations(sources("scripts"), (target) => under(target, "stacks", "test"))).to.deep.equal([]);
    });

    it("finds the imports it checks (the rules above are not vacuous)", () => {
        expect(importsOf("stacks/data/program.ts")).to.include("shared/open-layer");
        expect(importsOf("test/harness/chain.ts")).to.include.members([
            "stacks/foundation/program",
            "shared/open-layer",
        ]);
    });
});
