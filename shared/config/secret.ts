import * as pulumi from "@pulumi/pulumi";
import { inspect } from "node:util";

/** A secret config value. It never prints: `String(s)`, JSON and `console.log` show `[secret]`. */
export class Secret {
    readonly #value: string;
    /** False when the value is known to be set but could not be read (an encrypted `secure:` value in pre-flight). */
    readonly known: boolean;

    private constructor(value: string, known: boolean) {
        this.#value = value;
        this.known = known;
    }

    /** Wraps a plain value read from config. */
    static of(value: string): Secret {
        return new Secret(value, true);
    }

    /** A value that is set but encrypted, as pre-flight sees `secure:` entries. */
    static opaque(): Secret {
        return new Secret("", false);
    }

    /** The value, as a Pulumi secret Output: it stays encrypted in state and redacted in logs. */
    toOutput(): pulumi.Output<string> {
        if (!this.known) {
            throw new Error("an encrypted config value cannot become a program value outside a Pulumi run");
        }
        return pulumi.secret(this.#value);
    }

    /** The plain value, for pure helpers that validate or compose it; never log the result. */
    reveal(): string {
        return this.#value;
    }

    toString(): string {
        return "[secret]";
    }

    toJSON(): string {
        return "[secret]";
    }

    [inspect.custom](): string {
        return "[secret]";
    }
}
