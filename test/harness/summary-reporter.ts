import Mocha from "mocha";

/**
 * Mocha's spec reporter plus one closing line, `N passed, N failed[, N skipped]`, computed from
 * the run's own statistics. `.ci/run` and the README's test command end with it.
 */
class SummaryReporter extends Mocha.reporters.Spec {
    constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
        super(runner, options);
        runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
            const s = runner.stats ?? { passes: 0, failures: 0, pending: 0 };
            const skipped = s.pending > 0 ? `, ${s.pending} skipped` : "";
            // The spec reporter prints its epilogue on the same event; print after it.
            process.nextTick(() => console.log(`${s.passes} passed, ${s.failures} failed${skipped}`));
        });
    }
}

export = SummaryReporter;
