/**
 * An error the simulated AWS API returns. The message reads like the real one (the error code,
 * then AWS's text) behind a "[simulated AWS]" marker, so nobody mistakes a test run for a cloud.
 */
export class SimulatedAwsError extends Error {
    constructor(
        readonly code: string,
        awsMessage: string,
    ) {
        super(`[simulated AWS] ${code}: ${awsMessage}`);
        this.name = "SimulatedAwsError";
    }
}

/** Throws the error when the condition does not hold. */
export function ensure(condition: boolean, code: string, message: string): asserts condition {
    if (!condition) throw new SimulatedAwsError(code, message);
}
