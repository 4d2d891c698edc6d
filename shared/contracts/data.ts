import { z } from "zod";
import type { Contract } from "./contract";

/** Where the database lives: an RDS instance of this stack, or an external one given by URL. */
export type DatabaseInfo =
    | {
          /** An RDS instance created by the data layer. */
          mode: "rds";
          /** Instance endpoint host name. */
          host: string;
          /** Port, 5432. */
          port: number;
          /** Database name. */
          name: string;
      }
    | {
          /** `enableRds=false`: the database is reached through `databaseUrlOverride`. */
          mode: "external";
      };

/** Outputs of the data layer: Redis and Postgres connection details. */
export interface DataOutputs {
    /** Redis primary endpoint host name. */
    redisHost: string;
    /** Redis port. */
    redisPort: number;
    /** `rediss://:<token>@host:port`: secret, because it carries the AUTH token. */
    redisUrl: string;
    /** The database's location (no credentials). */
    database: DatabaseInfo;
    /** `postgresql://user:password@host:5432/name?sslmode=require`, or the override: always secret. */
    databaseUrl: string;
}

export const dataContract: Contract<DataOutputs> = {
    layer: "data",
    upstreams: ["foundation"],
    outputs: {
        redisHost: { doc: "Redis primary endpoint host name.", secret: false, readBy: "people", schema: z.string() },
        redisPort: { doc: "Redis port.", secret: false, readBy: "people", schema: z.number().int() },
        redisUrl: {
            doc: "Redis URL with the AUTH token (TLS).",
            secret: true,
            readBy: ["secrets"],
            schema: z.string().startsWith("rediss://"),
        },
        database: {
            doc: "Database location: RDS host, port and name, or external.",
            secret: false,
            readBy: "people",
            schema: z.discriminatedUnion("mode", [
                z.object({ mode: z.literal("rds"), host: z.string(), port: z.number().int(), name: z.string() }),
                z.object({ mode: z.literal("external") }),
            ]),
        },
        databaseUrl: {
            doc: "Database URL with credentials.",
            secret: true,
            readBy: ["secrets"],
            schema: z.string().regex(/^postgres(ql)?:\/\//),
        },
    },
    placeholder: {
        redisHost: "placeholder.cache.invalid",
        redisPort: 6379,
        redisUrl: "rediss://:placeholder@placeholder.cache.invalid:6379",
        database: { mode: "rds", host: "placeholder.rds.invalid", port: 5432, name: "placeholder" },
        databaseUrl: "postgresql://placeholder:placeholder@placeholder.rds.invalid:5432/placeholder?sslmode=require",
    },
};
