import { expect } from "chai";

import { parseNodeOptions, splitShellWords } from "./options";

describe("language host: Pulumi.yaml runtime options", () => {
    it("defaults to TypeScript on, as the Go host does (the layers turn it off)", () => {
        expect(parseNodeOptions({})).to.deep.equal({
            typescript: true,
            tsconfigPath: undefined,
            nodeArgs: [],
            packageManager: "auto",
        });
        expect(parseNodeOptions({ typescript: false }).typescript).to.be.false;
    });

    it("reads tsconfig, nodeargs and packagemanager", () => {
        const options = parseNodeOptions({
            tsconfig: "tsconfig.pulumi.json",
            nodeargs: "--max-old-space-size=4096 --enable-source-maps",
            packagemanager: "npm",
        });
        expect(options.tsconfigPath).to.equal("tsconfig.pulumi.json");
        expect(options.nodeArgs).to.deep.equal(["--max-old-space-size=4096", "--enable-source-maps"]);
        expect(options.packageManager).to.equal("npm");
    });

    const invalid: Array<[Record<string, unknown>, string]> = [
        [{ typescript: "false" }, "typescript option must be a boolean"],
        [{ tsconfig: 1 }, "tsconfigpath option must be a string"],
        [{ nodeargs: ["--x"] }, "nodeargs option must be a string"],
        [{ packagemanager: "cargo" }, "packagemanager option must be one of auto, npm, yarn, pnpm or bun"],
    ];
    for (const [options, message] of invalid) {
        it(`rejects ${JSON.stringify(options)} with the Go host's message`, () => {
            expect(() => parseNodeOptions(options)).to.throw(message);
        });
    }
});

describe("language host: nodeargs word splitting (github.com/google/shlex rules)", () => {
    const cases: Array<[string, string[]]> = [
        ["", []],
        ["  a   b\tc ", ["a", "b", "c"]],
        [`--title "two words"`, ["--title", "two words"]],
        [`'single \\ quoted'`, ["single \\ quoted"]],
        [`"esc \\" inside"`, ['esc " inside']],
        [`a\\ b`, ["a b"]],
        [`a"b c"d`, ["ab cd"]],
        [`--x # a comment`, ["--x"]],
        [`a#b`, ["a#b"]],
    ];
    for (const [line, words] of cases) {
        it(`splits ${JSON.stringify(line)}`, () => {
            expect(splitShellWords(line)).to.deep.equal(words);
        });
    }

    it("rejects an unterminated quote", () => {
        expect(() => splitShellWords(`"open`)).to.throw("unterminated");
    });
});
