import { z } from "zod";
import type { ServiceSpec } from "../catalog";
import { checkCertificateName, checkHostName, uncoveredHosts } from "../domains";
import { PROJECT_NAMES } from "../layers";
import { checkArn } from "./formats";
import { field } from "./field";
import type { IssueList } from "./issues";
import type { ConfigSource } from "./source";

/**
 * The public names of the services layer: the host name of each public service, the one
 * certificate that must cover them all, and the optional Route 53 zone their alias records go in.
 * A certificate never covers a load balancer's AWS name, so HTTPS needs a host name per service.
 */

const PROJECT = PROJECT_NAMES.services;

/** AWS tag values hold at most 256 characters; the certificate's names travel to the policy pack in one. */
const TAG_VALUE_LIMIT = 256;

/** The domain keys of the services layer's config. */
export const domainFields = {
    certificateArn: field
        .string(
            "ACM certificate of the load balancers (one certificate covering every domain): HTTPS with HTTP→HTTPS redirect. Required for production.",
            "arn:aws:acm:us-east-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab",
        )
        .check((v) => checkArn(v, "acm", "certificate/")),
    domains: field
        .json(
            "Public host name per public service, as a JSON object. Required for production and with certificateArn (the certificate must cover each); the exported serviceUrls and the smoke checks use them.",
            '{"gateway":"api.example.com","llm-proxy":"llm.example.com"}',
            z.record(z.string(), z.string()),
        )
        .default({})
        .check((m) =>
            Object.values(m)
                .map(checkHostName)
                .find((r) => r !== undefined),
        ),
    certificateDomains: field
        .json(
            "The names on the certificateArn certificate, as in ACM (wildcards as *.example.com), as a JSON list. Optional: when set, pre-flight and the policy pack check offline that they cover every domain.",
            '["*.example.com"]',
            z.array(z.string()).min(1),
        )
        .check((names) =>
            names
                .map(checkCertificateName)
                .concat(
                    names.join(" ").length > TAG_VALUE_LIMIT
                        ? [
                              `lists more than the ${TAG_VALUE_LIMIT} characters a tag holds; list only the names that cover the domains`,
                          ]
                        : [],
                )
                .find((r) => r !== undefined),
        ),
    hostedZoneId: field
        .string(
            "Route 53 hosted zone to create an alias record per domain in. Default: none (point each domain at loadBalancerDnsNames yourself).",
            "Z0123456789ABCDEFGHIJ",
        )
        .check((v) =>
            /^Z[A-Z0-9]{1,32}$/.test(v) ? undefined : "is not a Route 53 hosted zone id like Z0123456789ABC",
        ),
};

/** The parsed domain settings. */
export interface DomainSettings {
    /** The load balancers' certificate, when HTTPS is on. */
    certificateArn?: string;
    /** Host name per public service (empty when none are configured). */
    domains: Record<string, string>;
    /** The certificate's names, when configured. */
    certificateDomains?: string[];
    /** Route 53 zone for the alias records. */
    hostedZoneId?: string;
}

/** A `domains` value (JSON) naming every public service, for fix commands. */
function exampleDomains(publicNames: readonly string[], from: Record<string, string> = {}): string {
    return JSON.stringify(Object.fromEntries(publicNames.map((n) => [n, from[n] ?? `${n}.example.com`])));
}

/** Checks the domain keys against each other, the catalog and the environment class. */
export function parseDomains(args: {
    source: ConfigSource;
    issues: IssueList;
    values: {
        certificateArn?: string;
        domains?: Record<string, string>;
        certificateDomains?: string[];
        hostedZoneId?: string;
    };
    productionLike: boolean;
    services: readonly ServiceSpec[];
}): DomainSettings {
    const { source, issues, productionLike, values } = args;
    const isSet = (k: string) => source.get(PROJECT, k) !== undefined;
    const publicNames = args.services.filter((s) => s.public).map((s) => s.name);
    const domains = values.domains ?? {};

    const retired = source.get(PROJECT, "publicUrls");
    if (retired !== undefined) {
        let hosts: Record<string, string> = {};
        try {
            const urls = JSON.parse("value" in retired ? retired.value : "{}") as Record<string, string>;
            hosts = Object.fromEntries(Object.entries(urls).map(([k, u]) => [k, new URL(u).hostname]));
        } catch {
            // Unreadable: the fix shows example names instead.
        }
        issues.addRaw({
            key: `${PROJECT}:publicUrls`,
            problem:
                "is replaced by domains (host names; the URL is https://<domain> with certificateArn), which the certificate check, the DNS records and the smoke checks use",
            fix: `pulumi config rm ${PROJECT}:publicUrls && pulumi config set ${PROJECT}:domains '${exampleDomains(publicNames, hosts)}'`,
        });
    }
    if (productionLike && !isSet("certificateArn")) {
        issues.add(
            "certificateArn",
            domainFields.certificateArn,
            "is required for production: the load balancers serve HTTPS and redirect HTTP.",
        );
    }
    for (const name of Object.keys(domains)) {
        if (!publicNames.includes(name)) {
            issues.add(
                "domains",
                domainFields.domains,
                `names "${name}", which is not a public service (${publicNames.join(", ")})`,
            );
        }
    }
    const hosts = Object.values(domains);
    const twice = hosts.filter((h, i) => hosts.indexOf(h) !== i);
    if (twice.length > 0) {
        issues.add("domains", domainFields.domains, `gives ${twice.join(", ")} to more than one service`);
    }
    const missing = publicNames.filter((n) => domains[n] === undefined);
    const why = productionLike
        ? "production serves every public service under its own host name"
        : isSet("certificateArn")
          ? "with certificateArn the load balancers serve HTTPS, and no certificate covers a load balancer's AWS name"
          : isSet("hostedZoneId")
            ? "hostedZoneId is set, and each public service needs a name to create its record under"
            : undefined;
    if (missing.length > 0 && why !== undefined) {
        issues.add(
            "domains",
            domainFields.domains,
            `has no host name for ${missing.join(", ")}: ${why}`,
            exampleDomains(publicNames, domains),
        );
    }
    if (values.certificateDomains !== undefined) {
        if (!isSet("certificateArn")) {
            issues.ignored(
                "certificateDomains",
                "certificateArn is not set",
                `pulumi config set ${PROJECT}:certificateArn '${domainFields.certificateArn.example}'`,
            );
        } else {
            const uncovered = uncoveredHosts(hosts, values.certificateDomains);
            if (uncovered.length > 0) {
                issues.addRaw({
                    key: `${PROJECT}:certificateDomains`,
                    problem: `(${values.certificateDomains.join(", ")}) do not cover ${uncovered.join(", ")}: clients would reject the certificate the load balancers present`,
                    // The certificate must change (its names cannot): the example ARN stands for one covering them all.
                    fix: `pulumi config set ${PROJECT}:certificateArn '${domainFields.certificateArn.example}' && pulumi config set ${PROJECT}:certificateDomains '${JSON.stringify([...values.certificateDomains, ...uncovered])}'`,
                });
            }
        }
    }
    return {
        ...(values.certificateArn !== undefined ? { certificateArn: values.certificateArn } : {}),
        domains,
        ...(values.certificateDomains !== undefined && values.certificateArn !== undefined
            ? { certificateDomains: values.certificateDomains }
            : {}),
        ...(values.hostedZoneId !== undefined ? { hostedZoneId: values.hostedZoneId } : {}),
    };
}
