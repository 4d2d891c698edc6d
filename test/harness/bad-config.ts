import { expect } from "chai";
import type { Profile } from "./fixtures";
import { runLayerExpectingError, type RunOptions, type UpstreamState } from "./mocks";

/** Tables of invalid configurations, shared by the bad-config test files. */

/** One invalid configuration: what is set, and what the error must say. */
export interface BadCase {
    title: string;
    profile?: Profile;
    config: Record<string, string>;
    /** Keys the error must name. */
    keys: string[];
    /** Fix commands (or fragments) the error must contain. */
    fixes: string[];
    /** Text that must never appear in the error (secret values). */
    never?: string[];
    /** Services only: environment variables of the run (undefined unsets one). */
    env?: Record<string, string | undefined>;
    /** Services only: the stack's outputs from its last deploy. */
    previous?: UpstreamState;
}

/** Runs a table of bad configs; each must fail before any resource (other than reading upstream stacks) is registered. */
export function badConfigTable(
    layer: string,
    cases: BadCase[],
    run: (c: BadCase) => { program: () => Promise<Record<string, unknown>>; opts: RunOptions },
) {
    describe(`${layer}: invalid config is refused before any resource is created`, () => {
        for (const c of cases) {
            it(c.title, async () => {
                const { program, opts } = run(c);
                const { error, resources } = await runLayerExpectingError(program, opts);
                for (const key of c.keys) {
                    expect(error.message, `names ${key}`).to.include(key);
                }
                for (const fix of c.fixes) {
                    expect(error.message, "shows the fix").to.include(fix);
                }
                for (const secret of c.never ?? []) {
                    expect(error.message, "never shows a secret value").not.to.include(secret);
                }
                expect(
                    resources.filter((r) => r.type !== "pulumi:pulumi:StackReference").map((r) => r.type),
                ).to.deep.equal([]);
            });
        }
    });
}
