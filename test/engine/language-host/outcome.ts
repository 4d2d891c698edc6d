// What a finished program process means to the engine (RunResponse.error / RunResponse.bail), with
// the Go host's wording: the engine prints `error` under the stack, and `bail` means "the program
// already told the user; stop quietly".

/**
 * cmd/run exits with 32 when every error it hit was already logged to the user through the engine
 * (nodeJSProcessExitedAfterLoggingUserActionableMessage in @pulumi/pulumi/cmd/run/index.js).
 */
export const EXIT_AFTER_USER_ACTIONABLE_MESSAGE = 32;

/** The RunResponse fields for a program outcome. */
export interface RunOutcome {
    error: string;
    bail: boolean;
}

/** Maps a child's exit (code, or null with the signal that ended it) to the RunResponse fields. */
export function runOutcome(code: number | null, signal: NodeJS.Signals | null): RunOutcome {
    if (code === 0) return { error: "", bail: false };
    if (code === EXIT_AFTER_USER_ACTIONABLE_MESSAGE) return { error: "", bail: true };
    // Go reports -1 as the exit code of a process ended by a signal.
    const shown = code ?? -1;
    const by = code === null && signal ? ` (${signal})` : "";
    return { error: `Program exited with non-zero exit code: ${shown}${by}`, bail: false };
}

/** The message for a program that could not be started at all. */
export function startFailure(err: Error): RunOutcome {
    return { error: `Problem executing program (could not run language executor): ${err.message}`, bail: false };
}
