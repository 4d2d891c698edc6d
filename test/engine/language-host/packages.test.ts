import { expect } from "chai";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

import { findPluginRequirements, incompatiblePulumiWarning, pluginRequirement } from "./packages";

describe("language host: plugin requirements from package.json", () => {
    it("derives name and v-prefixed version of an @pulumi package", () => {
        expect(
            pluginRequirement({ name: "@pulumi/aws", version: "7.48.0", pulumi: { resource: true } }),
        ).to.deep.include({
            name: "aws",
            version: "v7.48.0",
            server: "",
        });
    });

    it("prefers the pulumi section's name, version and server", () => {
        const r = pluginRequirement({
            name: "acme-x",
            version: "1.0.0",
            pulumi: { resource: true, name: "x", version: "v2.0.0", server: "https://dl" },
        });
        expect(r).to.deep.include({ name: "x", version: "v2.0.0", server: "https://dl" });
    });

    it("decodes a parameterization's base64 value", () => {
        const r = pluginRequirement({
            name: "@pulumi/p",
            version: "1.0.0",
            pulumi: { resource: true, parameterization: { name: "n", version: "0.1.0", value: "aGk=" } },
        });
        expect(Buffer.from(r?.parameterization?.value ?? []).toString()).to.equal("hi");
    });

    it("ignores packages without `resource: true` (@pulumi/pulumi itself has a pulumi section)", () => {
        expect(pluginRequirement({ name: "@pulumi/pulumi", version: "3.248.0", pulumi: {} })).to.be.undefined;
        expect(pluginRequirement({ name: "left-pad", version: "1.0.0" })).to.be.undefined;
    });

    it("refuses a third-party package that does not name its plugin", () => {
        expect(() => pluginRequirement({ name: "@acme/thing", version: "1.0.0", pulumi: { resource: true } })).to.throw(
            "Missing property \"name\" for the third-party plugin '@acme/thing'",
        );
    });
});

describe("language host: searching a program directory", () => {
    let root: string;
    const pkg = (path: string, json: object) => {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), JSON.stringify(json));
    };
    beforeEach(() => {
        root = mkdtempSync(join(tmpdir(), "langhost-packages-"));
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it("finds resource packages below node_modules only, nested ones included, skipping policy packs", () => {
        pkg("package.json", { name: "program", pulumi: { resource: true } });
        pkg("node_modules/@pulumi/aws/package.json", {
            name: "@pulumi/aws",
            version: "7.48.0",
            pulumi: { resource: true },
        });
        pkg("node_modules/@pulumi/awsx/node_modules/@pulumi/docker/package.json", {
            name: "@pulumi/docker",
            version: "3.6.1",
            pulumi: { resource: true },
        });
        pkg("node_modules/@pulumi/pulumi/package.json", { name: "@pulumi/pulumi", version: "3.248.0" });
        pkg("policy/PulumiPolicy.yaml", {});
        pkg("policy/node_modules/@pulumi/random/package.json", {
            name: "@pulumi/random",
            version: "4.0.0",
            pulumi: { resource: true },
        });
        const search = findPluginRequirements(root);
        expect(search.requirements.map((r) => `${r.name}@${r.version}`).sort()).to.deep.equal([
            "aws@v7.48.0",
            "docker@v3.6.1",
        ]);
        expect([...search.pulumiVersions.values()]).to.deep.equal(["3.248.0"]);
        expect(search.errors).to.deep.equal([]);
    });

    it("follows a symlinked node_modules once, survives a link loop, and records broken files", () => {
        const shared = mkdtempSync(join(tmpdir(), "langhost-shared-"));
        try {
            mkdirSync(join(shared, "@pulumi", "aws"), { recursive: true });
            writeFileSync(
                join(shared, "@pulumi", "aws", "package.json"),
                JSON.stringify({ name: "@pulumi/aws", version: "7.48.0", pulumi: { resource: true } }),
            );
            symlinkSync(shared, join(root, "node_modules"), "dir");
            symlinkSync(shared, join(shared, "loop"), "dir");
            mkdirSync(join(shared, "broken"));
            writeFileSync(join(shared, "broken", "package.json"), "{ not json");
            const search = findPluginRequirements(root);
            expect(search.requirements.map((r) => r.name)).to.deep.equal(["aws"]);
            expect(search.errors).to.have.length(1);
            expect(search.errors[0]).to.include("unmarshaling package.json");
        } finally {
            rmSync(shared, { recursive: true, force: true });
        }
    });

    it("finds nothing for a program whose node_modules is in a parent directory (stacks/<layer> here)", () => {
        pkg("node_modules/@pulumi/aws/package.json", {
            name: "@pulumi/aws",
            version: "7.48.0",
            pulumi: { resource: true },
        });
        mkdirSync(join(root, "stacks", "foundation"), { recursive: true });
        expect(findPluginRequirements(join(root, "stacks", "foundation")).requirements).to.deep.equal([]);
    });

    it("warns only when two @pulumi/pulumi copies differ in major version", () => {
        expect(
            incompatiblePulumiWarning(
                new Map([
                    ["a", "3.248.0"],
                    ["b", "3.100.0"],
                ]),
            ),
        ).to.be.undefined;
        expect(
            incompatiblePulumiWarning(
                new Map([
                    ["a", "3.248.0"],
                    ["b", "2.25.0"],
                ]),
            ),
        ).to.include("Version 2.25.0 referenced at b");
    });
});
