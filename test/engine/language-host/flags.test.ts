import { expect } from "chai";

import { parseHostFlags } from "./flags";

describe("language host: its own command line", () => {
    it("takes the engine address as the first positional argument", () => {
        const flags = parseHostFlags(["127.0.0.1:4000"]);
        expect(flags.engineAddress).to.equal("127.0.0.1:4000");
        expect(flags.runtime).to.equal("nodejs");
        expect(flags.tracing).to.be.undefined;
        expect(flags.ignored).to.deep.equal([]);
    });

    it("accepts the logging and tracing flags the CLI forwards before the address", () => {
        const flags = parseHostFlags(["--logtostderr", "-v=9", "--tracing", "http://zipkin:9411", "127.0.0.1:4000"]);
        expect(flags.engineAddress).to.equal("127.0.0.1:4000");
        expect(flags.tracing).to.equal("http://zipkin:9411");
        expect(flags.ignored).to.deep.equal(["--logtostderr", "-v=9"]);
    });

    const cases: Array<{ argv: string[]; engine: string | undefined; note: string }> = [
        { argv: ["-root", "/p", "127.0.0.1:1"], engine: "127.0.0.1:1", note: "a value flag given as `-flag value`" },
        { argv: ["-root=/p", "127.0.0.1:1"], engine: "127.0.0.1:1", note: "a value flag given as `-flag=value`" },
        { argv: ["--some-new-flag", "127.0.0.1:1"], engine: "127.0.0.1:1", note: "an unknown flag without a value" },
        { argv: ["--some-new=x", "127.0.0.1:1"], engine: "127.0.0.1:1", note: "an unknown flag with `=value`" },
        { argv: ["--", "-odd-address"], engine: "-odd-address", note: "`--` ends the flags" },
        { argv: ["-v=3"], engine: undefined, note: "no address at all (attach mode: Handshake supplies it)" },
    ];
    for (const c of cases) {
        it(`finds the engine address after ${c.note}`, () => {
            expect(parseHostFlags(c.argv).engineAddress).to.equal(c.engine);
        });
    }

    it("stops at the first positional argument, as Go's flag package does", () => {
        const flags = parseHostFlags(["127.0.0.1:1", "--tracing", "x"]);
        expect(flags.tracing).to.be.undefined;
    });

    it("reads -version and -runtime", () => {
        expect(parseHostFlags(["-version"]).version).to.be.true;
        expect(parseHostFlags(["--runtime", "bun", "a"]).runtime).to.equal("bun");
    });
});
