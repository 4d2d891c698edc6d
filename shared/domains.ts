/**
 * Host names and TLS certificates, as plain functions: the services config, pre-flight and the
 * policy pack all ask the same two questions (is this a host name; does a certificate name cover
 * it), so the answer lives in one leaf module with no imports.
 */

/** A DNS host name: lower-case labels of letters, digits and inner hyphens, at least two labels, at most 253 characters. */
export function checkHostName(host: string): string | undefined {
    if (host.length > 253) return `"${host}" is longer than the 253 characters a host name may have`;
    if (host.includes("://") || host.includes("/")) return `"${host}" is a URL; give the host name only`;
    const labels = host.split(".");
    if (labels.length < 2) return `"${host}" is not a fully qualified host name (e.g. api.example.com)`;
    const bad = labels.find((l) => !/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(l));
    return bad === undefined
        ? undefined
        : `"${host}" is not a host name: each label is 1-63 lower-case letters, digits and inner hyphens`;
}

/** A name on a certificate: a host name, or `*.` followed by one (a wildcard for exactly one label). */
export function checkCertificateName(name: string): string | undefined {
    return checkHostName(name.startsWith("*.") ? name.slice(2) : name);
}

/**
 * Whether a certificate name covers a host, as TLS clients match them (RFC 6125): an exact match,
 * or `*.example.com` for a host with exactly one more label (`api.example.com`, not `example.com`
 * and not `a.b.example.com`). Case-insensitive.
 */
export function certificateNameCovers(name: string, host: string): boolean {
    const n = name.toLowerCase();
    const h = host.toLowerCase();
    if (!n.startsWith("*.")) return n === h;
    const dot = h.indexOf(".");
    return dot > 0 && h.slice(dot + 1) === n.slice(2);
}

/** The hosts that none of the certificate's names cover. */
export function uncoveredHosts(hosts: readonly string[], certificateNames: readonly string[]): string[] {
    return hosts.filter((h) => !certificateNames.some((n) => certificateNameCovers(n, h)));
}

/** The public URL of a service: `https://<host>` with a certificate, `http://<host>` without. */
export function publicUrl(host: string, https: boolean): string {
    return `${https ? "https" : "http"}://${host}`;
}
