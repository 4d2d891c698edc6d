import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** tools/chromium/ensure.sh with stand-in `id` and `apt-get`: what it installs, and when it refuses. */

const REPO = join(__dirname, "..", "..", "..");

describe("tools/chromium/ensure.sh", () => {
    let dir = "";
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "chromium-ensure-"))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    /** Runs the script with stand-in `id` and `apt-get` first on PATH; apt-get's calls are logged. */
    function ensure(uid: number, aptWorksBeforeUpdate: boolean) {
        const bin = join(dir, "bin");
        const browser = join(dir, "chromium");
        const log = join(dir, "apt.log");
        // Each call starts from a machine without the browser, its package lists and the log.
        for (const f of [bin, browser, log, join(dir, "updated")]) rmSync(f, { recursive: true, force: true });
        mkdirSync(bin);
        const stub = (name: string, body: string) => {
            writeFileSync(join(bin, name), `#!/usr/bin/env bash\n${body}\n`);
            chmodSync(join(bin, name), 0o755);
        };
        stub("id", `echo ${uid}`);
        stub(
            "apt-get",
            [
                `echo "$*" >> ${log}`,
                `if [[ "$1" == update ]]; then touch ${dir}/updated; exit 0; fi`,
                `if [[ ${aptWorksBeforeUpdate ? "1" : "0"} == 0 && ! -f ${dir}/updated ]]; then echo "E: Unable to locate package chromium"; exit 100; fi`,
                `printf '#!/bin/sh\\n' > ${browser}; chmod +x ${browser}`,
            ].join("\n"),
        );
        const r = spawnSync(join(REPO, "tools", "chromium", "ensure.sh"), [], {
            encoding: "utf8",
            env: { PATH: `${bin}:${process.env["PATH"] ?? ""}`, PROLIFERATE_CHROMIUM: browser },
        });
        const calls = (() => {
            try {
                return readFileSync(log, "utf8").trim().split("\n");
            } catch {
                return [];
            }
        })();
        return { ...r, browser, calls };
    }

    it("as root installs Debian's chromium, updating the package lists only when the first install fails", () => {
        const r = ensure(0, false);
        expect(r.status, r.stderr).to.equal(0);
        expect(r.calls).to.deep.equal([
            "install -y -q --no-install-recommends chromium",
            "update -q",
            "install -y -q --no-install-recommends chromium",
        ]);
        expect(r.stdout.trim().split("\n").pop()).to.equal(r.browser);
        const again = ensure(0, true);
        expect(again.calls).to.deep.equal(["install -y -q --no-install-recommends chromium"]);
    });

    it("as another user fails, naming the package to install, and installs nothing", () => {
        const r = ensure(1000, true);
        expect(r.status).to.equal(1);
        expect(r.stderr).to.include("apt-get install -y --no-install-recommends chromium");
        expect(r.calls).to.deep.equal([]);
        expect(r.stdout).to.equal("");
    });
});
