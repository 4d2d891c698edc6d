// The host's own command line. The CLI starts a language plugin as
// `pulumi-language-nodejs [--logtostderr] [-v=N] [--tracing URL] <engine-address>` (the flags only when
// the CLI itself was given them); the Go host parses that with Go's `flag` package, which takes `-x` and
// `--x` alike, `-x=v` or `-x v` for a value flag, and stops at the first argument that is not a flag.

/** What the host was asked to do by its command line. */
export interface HostFlags {
    /** The engine's gRPC address (the first positional argument); undefined until Handshake gives one. */
    engineAddress: string | undefined;
    /** A Zipkin-compatible tracing endpoint, passed on to cmd/run as `--tracing`. Default: none. */
    tracing: string | undefined;
    /** `-runtime`: only `nodejs` is supported here (the Go host also knows `bun`). Default: `nodejs`. */
    runtime: string;
    /** `-version`: print the version and exit. Default: false. */
    version: boolean;
    /** Flags accepted for compatibility but without effect here (logging verbosity, `-root`, unknown ones). */
    ignored: string[];
}

// Flags that take a value: the Go host's own plus glog's, which the Go binary registers at start
// and the CLI forwards (`-v=9 --logtostderr`).
const VALUE_FLAGS = new Set([
    "tracing",
    "runtime",
    "root",
    "v",
    "vmodule",
    "log_dir",
    "log_backtrace_at",
    "stderrthreshold",
]);

/** Parses the host's arguments. Unknown flags are accepted and ignored, never fatal: a newer CLI may add some. */
export function parseHostFlags(argv: readonly string[]): HostFlags {
    const flags: HostFlags = {
        engineAddress: undefined,
        tracing: undefined,
        runtime: "nodejs",
        version: false,
        ignored: [],
    };
    let i = 0;
    for (; i < argv.length; i++) {
        const arg = argv[i] ?? "";
        if (arg === "--") {
            i++;
            break;
        }
        if (!arg.startsWith("-") || arg === "-") break;
        const body = arg.replace(/^--?/, "");
        const eq = body.indexOf("=");
        const name = eq < 0 ? body : body.slice(0, eq);
        let value = eq < 0 ? undefined : body.slice(eq + 1);
        if (value === undefined && VALUE_FLAGS.has(name)) {
            value = argv[i + 1];
            i++;
        }
        switch (name) {
            case "tracing":
                flags.tracing = value || undefined;
                break;
            case "runtime":
                flags.runtime = value ?? "nodejs";
                break;
            case "version":
                flags.version = value === undefined || value === "true";
                break;
            default:
                flags.ignored.push(arg);
        }
    }
    flags.engineAddress = argv[i] || undefined;
    return flags;
}
