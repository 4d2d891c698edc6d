/** A bad request: one line for people, exit code 2, and nothing has run. */
export class UsageError extends Error {}
