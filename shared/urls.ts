/** Connection URLs, composed from their parts. Pure, so they are tested without Pulumi. */

/** `rediss://:<token>@host:port` (TLS) or `redis://host:port`; the token is URL-encoded. */
export function redisUrl(host: string, port: number, opts: { tls: boolean; authToken?: string }): string {
    const scheme = opts.tls ? "rediss" : "redis";
    const auth = opts.authToken !== undefined ? `:${encodeURIComponent(opts.authToken)}@` : "";
    return `${scheme}://${auth}${host}:${port}`;
}

/** `postgresql://user:password@host:port/db?sslmode=require`; user and password are URL-encoded. */
export function postgresUrl(parts: {
    host: string;
    port: number;
    database: string;
    username: string;
    password: string;
}): string {
    const user = encodeURIComponent(parts.username);
    const password = encodeURIComponent(parts.password);
    return `postgresql://${user}:${password}@${parts.host}:${parts.port}/${encodeURIComponent(parts.database)}?sslmode=require`;
}
