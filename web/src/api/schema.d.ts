/**
 * The NEXUS HTTP API as TypeScript types, generated from the server's OpenAPI
 * document (the route schemas) by `npm run web:api`. Do not edit by hand:
 * change the schemas and regenerate; test/web/api-types.test.ts fails while
 * this file is stale.
 */

export interface paths {
    "/api/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: database and queue must be up; Redis down, or nothing able to deliver a page, only degrades */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            checks: {
                                database: {
                                    detail?: string;
                                    latencyMs?: number;
                                    status: "up" | "down" | "degraded" | "disabled";
                                };
                                maintenance?: {
                                    detail?: string;
                                    latencyMs?: number;
                                    status: "up" | "down" | "degraded" | "disabled";
                                };
                                notify?: {
                                    detail?: string;
                                    latencyMs?: number;
                                    status: "up" | "down" | "degraded" | "disabled";
                                };
                                queue: {
                                    detail?: string;
                                    latencyMs?: number;
                                    status: "up" | "down" | "degraded" | "disabled";
                                };
                                redis: {
                                    detail?: string;
                                    latencyMs?: number;
                                    status: "up" | "down" | "degraded" | "disabled";
                                };
                            };
                            failing: string[];
                            status: "ok" | "degraded" | "unavailable";
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            checks: {
                                database: {
                                    detail?: string;
                                    latencyMs?: number;
                                    status: "up" | "down" | "degraded" | "disabled";
                                };
                                maintenance?: {
                                    detail?: string;
                                    latencyMs?: number;
                                    status: "up" | "down" | "degraded" | "disabled";
                                };
                                notify?: {
                                    detail?: string;
                                    latencyMs?: number;
                                    status: "up" | "down" | "degraded" | "disabled";
                                };
                                queue: {
                                    detail?: string;
                                    latencyMs?: number;
                                    status: "up" | "down" | "degraded" | "disabled";
                                };
                                redis: {
                                    detail?: string;
                                    latencyMs?: number;
                                    status: "up" | "down" | "degraded" | "disabled";
                                };
                            };
                            failing: string[];
                            status: "ok" | "degraded" | "unavailable";
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Alerts, most recently started first */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    fingerprint?: string;
                    /** @description Only the alerts ever linked to this incident (404 if there is no such incident) */
                    incident?: string;
                    limit?: number;
                    severity?: "P1" | "P2" | "P3";
                    state?: "firing" | "resolved";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                annotations: {
                                    [key: string]: string;
                                };
                                count: number;
                                /** Format: date-time */
                                endsAt: string | null;
                                fingerprint: string;
                                /** Format: date-time */
                                firstSeenAt: string;
                                generatorURL: string | null;
                                groupKey: string;
                                /** Format: uuid */
                                id: string;
                                /** Format: uuid */
                                incidentId: string | null;
                                labels: {
                                    [key: string]: string;
                                };
                                /** Format: date-time */
                                lastSeenAt: string;
                                /** Format: date-time */
                                resolvedAt: string | null;
                                /** Format: uuid */
                                ruleId: string | null;
                                severity: ("P1" | "P2" | "P3") | (never | null);
                                /** Format: uuid */
                                silencedBy: string | null;
                                source: string;
                                /** Format: date-time */
                                startsAt: string;
                                /** @enum {unknown} */
                                status: "firing" | "resolved";
                            }[];
                            next: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Generic alert receiver: one alert or an array */
        post: {
            parameters: {
                query?: {
                    /** @description API token, for senders that cannot set headers */
                    token?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        annotations?: {
                            [key: string]: string;
                        };
                        /** Format: date-time */
                        endsAt?: string;
                        fingerprint?: string;
                        generatorURL?: string;
                        groupKey?: string;
                        labels: {
                            [key: string]: string;
                        };
                        /** Format: date-time */
                        startsAt?: string;
                        /** @enum {unknown} */
                        status?: "firing" | "resolved";
                    } | {
                        annotations?: {
                            [key: string]: string;
                        };
                        /** Format: date-time */
                        endsAt?: string;
                        fingerprint?: string;
                        generatorURL?: string;
                        groupKey?: string;
                        labels: {
                            [key: string]: string;
                        };
                        /** Format: date-time */
                        startsAt?: string;
                        /** @enum {unknown} */
                        status?: "firing" | "resolved";
                    }[];
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            firing: number;
                            incidents: string[];
                            received: number;
                            resolved: number;
                            /** @description Incidents this delivery resolved: their last firing alert resolved (and their policy resolves them by themselves) */
                            resolvedIncidents: {
                                /** Format: uuid */
                                id: string;
                                title: string;
                            }[];
                            silenced: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/alerts/alertmanager": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Alertmanager webhook (v4); answers once the alerts are committed */
        post: {
            parameters: {
                query?: {
                    /** @description API token, for senders that cannot set headers */
                    token?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        alerts: {
                            annotations?: {
                                [key: string]: string;
                            };
                            endsAt?: string;
                            fingerprint?: string;
                            generatorURL?: string;
                            labels: {
                                [key: string]: string;
                            };
                            startsAt?: string;
                            /** @enum {unknown} */
                            status: "firing" | "resolved";
                        }[];
                        commonAnnotations?: {
                            [key: string]: string;
                        };
                        commonLabels?: {
                            [key: string]: string;
                        };
                        externalURL?: string;
                        groupKey: string;
                        groupLabels?: {
                            [key: string]: string;
                        };
                        receiver?: string;
                        /** @enum {unknown} */
                        status: "firing" | "resolved";
                        truncatedAlerts?: number;
                        version?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            firing: number;
                            incidents: string[];
                            received: number;
                            resolved: number;
                            /** @description Incidents this delivery resolved: their last firing alert resolved (and their policy resolves them by themselves) */
                            resolvedIncidents: {
                                /** Format: uuid */
                                id: string;
                                title: string;
                            }[];
                            silenced: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit log, newest first, with filters */
        get: {
            parameters: {
                query?: {
                    /** @description exact, or a prefix ending in "." such as "user." */
                    action?: string;
                    actor?: string;
                    cursor?: string;
                    limit?: number;
                    outcome?: "success" | "denied" | "rejected" | "error";
                    since?: string;
                    target?: string;
                    until?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["def-3"][];
                            next: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign in; returns a bearer JWT */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        password: string;
                        username: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            expiresAt: string;
                            token: string;
                            user: components["schemas"]["def-1"];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/backups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Backups, newest first */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** Format: date-time */
                                createdAt: string;
                                createdBy: string;
                                /** Format: date-time */
                                drilledAt: string | null;
                                drillSeconds: number | null;
                                engine: string;
                                format: string;
                                id: string;
                                location: string;
                                rowCounts: {
                                    [key: string]: number;
                                };
                                schemaVersion: string;
                                sha256: string;
                                sizeBytes: number;
                                target: string;
                                /** Format: date-time */
                                verifiedAt: string | null;
                                verifyMessage: string | null;
                                verifyOk: boolean | null;
                            }[];
                            /** @enum {object|null} */
                            next: never | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Back up the NEXUS database now (dump, checksum, manifest) to the configured target */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            createdBy: string;
                            /** Format: date-time */
                            drilledAt: string | null;
                            drillSeconds: number | null;
                            engine: string;
                            format: string;
                            id: string;
                            location: string;
                            rowCounts: {
                                [key: string]: number;
                            };
                            schemaVersion: string;
                            sha256: string;
                            sizeBytes: number;
                            target: string;
                            /** Format: date-time */
                            verifiedAt: string | null;
                            verifyMessage: string | null;
                            verifyOk: boolean | null;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/backups/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One backup: manifest figures and the last verification */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description A backup id, or `latest` */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            createdBy: string;
                            /** Format: date-time */
                            drilledAt: string | null;
                            drillSeconds: number | null;
                            engine: string;
                            format: string;
                            id: string;
                            location: string;
                            rowCounts: {
                                [key: string]: number;
                            };
                            schemaVersion: string;
                            sha256: string;
                            sizeBytes: number;
                            target: string;
                            /** Format: date-time */
                            verifiedAt: string | null;
                            verifyMessage: string | null;
                            verifyOk: boolean | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/backups/{id}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Restore a backup over the NEXUS database (verified first; maintenance mode meanwhile). Confirm with the id in the body */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description A backup id, or `latest` */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The backup id again (the same text as in the path): a restore replaces every row */
                        confirm: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            checks: {
                                checksum: boolean;
                                rowCounts: boolean | null;
                                schema: boolean | null;
                            };
                            id: string;
                            ok: boolean;
                            outcome: "verified" | "corrupt" | "mismatch" | "failed";
                            problems: string[];
                            restoreSeconds: number | null;
                            schemaVersion: string | null;
                            tables: {
                                expected: number;
                                restored: number | null;
                                table: string;
                            }[];
                            /** Format: date-time */
                            verifiedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/backups/{id}/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Verify a backup: checksum, restore into a scratch database, row counts and schema against the manifest */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description A backup id, or `latest` */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            checks: {
                                checksum: boolean;
                                rowCounts: boolean | null;
                                schema: boolean | null;
                            };
                            id: string;
                            ok: boolean;
                            outcome: "verified" | "corrupt" | "mismatch" | "failed";
                            problems: string[];
                            restoreSeconds: number | null;
                            schemaVersion: string | null;
                            tables: {
                                expected: number;
                                restored: number | null;
                                table: string;
                            }[];
                            /** Format: date-time */
                            verifiedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/backups/retention": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Apply retention now: keep the newest per day and per week as configured, delete the rest */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            deleted: string[];
                            kept: string[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/channels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Notification channels (URLs shown as their origin, secrets never) */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                address: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                enabled: boolean;
                                /** Format: uuid */
                                id: string;
                                /** @enum {unknown} */
                                kind: "slack" | "webhook" | "email" | "teams" | "mattermost" | "discord" | "telegram" | "ntfy" | "sms" | "voice";
                                name: string;
                                secretSet: boolean;
                                settings: {
                                    accountSid?: string;
                                    channel?: string;
                                    chatId?: string;
                                    from?: string;
                                    username?: string;
                                };
                                unreadable: boolean;
                                /** Format: date-time */
                                updatedAt: string;
                                url: string | null;
                                usesDefaultWebhook: boolean;
                            }[];
                            next: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Add a channel (Slack, Teams, Mattermost, Discord, Telegram, ntfy, webhook, e-mail, or an SMS / voice provider) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: email */
                        address?: string;
                        enabled?: boolean;
                        /** @enum {unknown} */
                        kind: "slack" | "webhook" | "email" | "teams" | "mattermost" | "discord" | "telegram" | "ntfy" | "sms" | "voice";
                        name: string;
                        secret?: string;
                        settings?: {
                            accountSid?: string;
                            channel?: string;
                            chatId?: string;
                            from?: string;
                            username?: string;
                        };
                        url?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            address: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            enabled: boolean;
                            /** Format: uuid */
                            id: string;
                            /** @enum {unknown} */
                            kind: "slack" | "webhook" | "email" | "teams" | "mattermost" | "discord" | "telegram" | "ntfy" | "sms" | "voice";
                            name: string;
                            secretSet: boolean;
                            settings: {
                                accountSid?: string;
                                channel?: string;
                                chatId?: string;
                                from?: string;
                                username?: string;
                            };
                            unreadable: boolean;
                            /** Format: date-time */
                            updatedAt: string;
                            url: string | null;
                            usesDefaultWebhook: boolean;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/channels/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One channel */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            address: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            enabled: boolean;
                            /** Format: uuid */
                            id: string;
                            /** @enum {unknown} */
                            kind: "slack" | "webhook" | "email" | "teams" | "mattermost" | "discord" | "telegram" | "ntfy" | "sms" | "voice";
                            name: string;
                            secretSet: boolean;
                            settings: {
                                accountSid?: string;
                                channel?: string;
                                chatId?: string;
                                from?: string;
                                username?: string;
                            };
                            unreadable: boolean;
                            /** Format: date-time */
                            updatedAt: string;
                            url: string | null;
                            usesDefaultWebhook: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a channel no policy uses */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        /** Change a channel; url and secret are write-only (secret: null removes it) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: email */
                        address?: string;
                        enabled?: boolean;
                        name?: string;
                        secret?: string | null;
                        settings?: {
                            accountSid?: string;
                            channel?: string;
                            chatId?: string;
                            from?: string;
                            username?: string;
                        };
                        url?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            address: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            enabled: boolean;
                            /** Format: uuid */
                            id: string;
                            /** @enum {unknown} */
                            kind: "slack" | "webhook" | "email" | "teams" | "mattermost" | "discord" | "telegram" | "ntfy" | "sms" | "voice";
                            name: string;
                            secretSet: boolean;
                            settings: {
                                accountSid?: string;
                                channel?: string;
                                chatId?: string;
                                from?: string;
                                username?: string;
                            };
                            unreadable: boolean;
                            /** Format: date-time */
                            updatedAt: string;
                            url: string | null;
                            usesDefaultWebhook: boolean;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/channels/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a test message now and answer how it went (sms and voice: to the phone number `to`) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        to?: string;
                    } | null;
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            durationMs: number;
                            outcome: "sent" | "failed";
                            reason: string | null;
                            to: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/contacts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Contacts by name */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** Format: date-time */
                                createdAt: string;
                                email: string | null;
                                /** Format: uuid */
                                id: string;
                                name: string;
                                phone: string | null;
                                slack: string | null;
                                team: string | null;
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                            next: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Add a contact */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: email */
                        email?: string;
                        name: string;
                        phone?: string;
                        slack?: string;
                        team?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            email: string | null;
                            /** Format: uuid */
                            id: string;
                            name: string;
                            phone: string | null;
                            slack: string | null;
                            team: string | null;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/contacts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One contact */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            email: string | null;
                            /** Format: uuid */
                            id: string;
                            name: string;
                            phone: string | null;
                            slack: string | null;
                            team: string | null;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a contact no rotation or policy pages */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        /** Change a contact (null clears a field) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: email */
                        email?: string | null;
                        name?: string;
                        phone?: string | null;
                        slack?: string | null;
                        team?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            email: string | null;
                            /** Format: uuid */
                            id: string;
                            name: string;
                            phone: string | null;
                            slack: string | null;
                            team: string | null;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/deployments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Deployments, newest first */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                    service?: string;
                    state?: "progressing" | "paused" | "aborting" | "rolling_back" | "succeeded" | "aborted" | "failed" | "rolled_back";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                analysis: {
                                    [key: string]: unknown;
                                } | null;
                                canaryWeight: number;
                                /** Format: date-time */
                                createdAt: string;
                                createdBy: string;
                                currentStep: number;
                                /** Format: date-time */
                                finishedAt: string | null;
                                /** Format: uuid */
                                id: string;
                                image: string | null;
                                /** Format: uuid */
                                incidentId: string | null;
                                pendingWeight: number | null;
                                reason: string | null;
                                router: string;
                                service: string;
                                stable: {
                                    upstream: string;
                                    version: string;
                                };
                                stableHandover: string | null;
                                stableImage: string | null;
                                /** @enum {unknown} */
                                state: "progressing" | "paused" | "aborting" | "rolling_back" | "succeeded" | "aborted" | "failed" | "rolled_back";
                                steps: {
                                    /** Format: date-time */
                                    finishedAt: string | null;
                                    index: number;
                                    /** @description setWeight, pause, analysis, gate, healthCheck, scaleDown */
                                    kind: string;
                                    message: string | null;
                                    spec: {
                                        [key: string]: unknown;
                                    };
                                    /** Format: date-time */
                                    startedAt: string | null;
                                    /** @enum {unknown} */
                                    state: "pending" | "running" | "succeeded" | "failed" | "skipped";
                                }[];
                                /** @enum {unknown} */
                                strategy: "canary" | "blue-green";
                                /** Format: date-time */
                                updatedAt: string;
                                upstream: string;
                                version: string;
                            }[];
                            next: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Start a deployment (canary or blue-green) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        analysis?: {
                            /** @default 3 */
                            count?: number;
                            /** @default 0 */
                            failureLimit?: number;
                            /** @default 0 */
                            inconclusiveLimit?: number;
                            /** @default 0 */
                            initialDelaySeconds?: number;
                            /** @default 60 */
                            intervalSeconds?: number;
                            metrics: {
                                max?: number;
                                min?: number;
                                name: string;
                                query: string;
                            }[];
                        };
                        blueGreen?: {
                            /** @default true */
                            autoPromotion?: boolean;
                            gates?: {
                                /** @default 10 */
                                intervalSeconds?: number;
                                /** @description http(s) URL; only its origin is ever shown */
                                url: string;
                            }[];
                            healthPaths?: string[];
                            /** @default 60 */
                            healthTimeoutSeconds?: number;
                            /** @description http(s) base URL of the new colour, no credentials */
                            healthUrl?: string;
                            /** @default 30 */
                            scaleDownDelaySeconds?: number;
                        };
                        image?: string;
                        /**
                         * @default nginx
                         * @enum {unknown}
                         */
                        router?: "nginx" | "istio" | "gateway-api";
                        service: string;
                        stable?: {
                            upstream: string;
                            version: string;
                        };
                        steps?: ({
                            /** @enum {string} */
                            kind: "setWeight";
                            weight: number;
                        } | {
                            durationSeconds?: number;
                            /** @enum {string} */
                            kind: "pause";
                        } | {
                            /** @enum {string} */
                            kind: "analysis";
                        } | {
                            /** @default 10 */
                            intervalSeconds?: number;
                            /** @enum {string} */
                            kind: "gate";
                            /** @description http(s) URL; only its origin is ever shown */
                            url: string;
                        })[];
                        /**
                         * @default canary
                         * @enum {unknown}
                         */
                        strategy?: "canary" | "blue-green";
                        upstream: string;
                        version: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            analysis: {
                                [key: string]: unknown;
                            } | null;
                            canaryWeight: number;
                            /** Format: date-time */
                            createdAt: string;
                            createdBy: string;
                            currentStep: number;
                            /** Format: date-time */
                            finishedAt: string | null;
                            /** Format: uuid */
                            id: string;
                            image: string | null;
                            /** Format: uuid */
                            incidentId: string | null;
                            pendingWeight: number | null;
                            reason: string | null;
                            router: string;
                            service: string;
                            stable: {
                                upstream: string;
                                version: string;
                            };
                            stableHandover: string | null;
                            stableImage: string | null;
                            /** @enum {unknown} */
                            state: "progressing" | "paused" | "aborting" | "rolling_back" | "succeeded" | "aborted" | "failed" | "rolled_back";
                            steps: {
                                /** Format: date-time */
                                finishedAt: string | null;
                                index: number;
                                /** @description setWeight, pause, analysis, gate, healthCheck, scaleDown */
                                kind: string;
                                message: string | null;
                                spec: {
                                    [key: string]: unknown;
                                };
                                /** Format: date-time */
                                startedAt: string | null;
                                /** @enum {unknown} */
                                state: "pending" | "running" | "succeeded" | "failed" | "skipped";
                            }[];
                            /** @enum {unknown} */
                            strategy: "canary" | "blue-green";
                            /** Format: date-time */
                            updatedAt: string;
                            upstream: string;
                            version: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/deployments/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One deployment with its steps, measurements and timeline */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            analysis: {
                                [key: string]: unknown;
                            } | null;
                            canaryWeight: number;
                            /** Format: date-time */
                            createdAt: string;
                            createdBy: string;
                            currentStep: number;
                            /** Format: date-time */
                            finishedAt: string | null;
                            /** Format: uuid */
                            id: string;
                            image: string | null;
                            /** Format: uuid */
                            incidentId: string | null;
                            measurements: {
                                /** Format: date-time */
                                at: string;
                                message: string | null;
                                metric: string;
                                /** @description successful, failed, inconclusive */
                                phase: string;
                                round: number;
                                seq: number;
                                step: number;
                                value: number | null;
                                weight: number;
                            }[];
                            pendingWeight: number | null;
                            reason: string | null;
                            router: string;
                            service: string;
                            stable: {
                                upstream: string;
                                version: string;
                            };
                            stableHandover: string | null;
                            stableImage: string | null;
                            /** @enum {unknown} */
                            state: "progressing" | "paused" | "aborting" | "rolling_back" | "succeeded" | "aborted" | "failed" | "rolled_back";
                            steps: {
                                /** Format: date-time */
                                finishedAt: string | null;
                                index: number;
                                /** @description setWeight, pause, analysis, gate, healthCheck, scaleDown */
                                kind: string;
                                message: string | null;
                                spec: {
                                    [key: string]: unknown;
                                };
                                /** Format: date-time */
                                startedAt: string | null;
                                /** @enum {unknown} */
                                state: "pending" | "running" | "succeeded" | "failed" | "skipped";
                            }[];
                            /** @enum {unknown} */
                            strategy: "canary" | "blue-green";
                            timeline: {
                                actor: string;
                                /** Format: date-time */
                                at: string;
                                data: {
                                    [key: string]: unknown;
                                };
                                /** @description created, step, traffic, analysis, gate, paused, resumed, promoted, aborting, aborted, failed, succeeded, rolled_back, incident, handover */
                                kind: string;
                                seq: number;
                                summary: string;
                            }[];
                            /** Format: date-time */
                            updatedAt: string;
                            upstream: string;
                            version: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/deployments/{id}/abort": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Abort: all traffic back on the stable version */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason?: string;
                    } | null;
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            analysis: {
                                [key: string]: unknown;
                            } | null;
                            canaryWeight: number;
                            /** Format: date-time */
                            createdAt: string;
                            createdBy: string;
                            currentStep: number;
                            /** Format: date-time */
                            finishedAt: string | null;
                            /** Format: uuid */
                            id: string;
                            image: string | null;
                            /** Format: uuid */
                            incidentId: string | null;
                            pendingWeight: number | null;
                            reason: string | null;
                            router: string;
                            service: string;
                            stable: {
                                upstream: string;
                                version: string;
                            };
                            stableHandover: string | null;
                            stableImage: string | null;
                            /** @enum {unknown} */
                            state: "progressing" | "paused" | "aborting" | "rolling_back" | "succeeded" | "aborted" | "failed" | "rolled_back";
                            steps: {
                                /** Format: date-time */
                                finishedAt: string | null;
                                index: number;
                                /** @description setWeight, pause, analysis, gate, healthCheck, scaleDown */
                                kind: string;
                                message: string | null;
                                spec: {
                                    [key: string]: unknown;
                                };
                                /** Format: date-time */
                                startedAt: string | null;
                                /** @enum {unknown} */
                                state: "pending" | "running" | "succeeded" | "failed" | "skipped";
                            }[];
                            /** @enum {unknown} */
                            strategy: "canary" | "blue-green";
                            /** Format: date-time */
                            updatedAt: string;
                            upstream: string;
                            version: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/deployments/{id}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Pause: the controller takes no further step until resumed */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason?: string;
                    } | null;
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            analysis: {
                                [key: string]: unknown;
                            } | null;
                            canaryWeight: number;
                            /** Format: date-time */
                            createdAt: string;
                            createdBy: string;
                            currentStep: number;
                            /** Format: date-time */
                            finishedAt: string | null;
                            /** Format: uuid */
                            id: string;
                            image: string | null;
                            /** Format: uuid */
                            incidentId: string | null;
                            pendingWeight: number | null;
                            reason: string | null;
                            router: string;
                            service: string;
                            stable: {
                                upstream: string;
                                version: string;
                            };
                            stableHandover: string | null;
                            stableImage: string | null;
                            /** @enum {unknown} */
                            state: "progressing" | "paused" | "aborting" | "rolling_back" | "succeeded" | "aborted" | "failed" | "rolled_back";
                            steps: {
                                /** Format: date-time */
                                finishedAt: string | null;
                                index: number;
                                /** @description setWeight, pause, analysis, gate, healthCheck, scaleDown */
                                kind: string;
                                message: string | null;
                                spec: {
                                    [key: string]: unknown;
                                };
                                /** Format: date-time */
                                startedAt: string | null;
                                /** @enum {unknown} */
                                state: "pending" | "running" | "succeeded" | "failed" | "skipped";
                            }[];
                            /** @enum {unknown} */
                            strategy: "canary" | "blue-green";
                            /** Format: date-time */
                            updatedAt: string;
                            upstream: string;
                            version: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/deployments/{id}/promote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Promote: skip the pause or analysis it waits in (all of them with full: true) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Skip every remaining pause and analysis: straight to 100 % */
                        full?: boolean;
                    } | null;
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            analysis: {
                                [key: string]: unknown;
                            } | null;
                            canaryWeight: number;
                            /** Format: date-time */
                            createdAt: string;
                            createdBy: string;
                            currentStep: number;
                            /** Format: date-time */
                            finishedAt: string | null;
                            /** Format: uuid */
                            id: string;
                            image: string | null;
                            /** Format: uuid */
                            incidentId: string | null;
                            pendingWeight: number | null;
                            reason: string | null;
                            router: string;
                            service: string;
                            stable: {
                                upstream: string;
                                version: string;
                            };
                            stableHandover: string | null;
                            stableImage: string | null;
                            /** @enum {unknown} */
                            state: "progressing" | "paused" | "aborting" | "rolling_back" | "succeeded" | "aborted" | "failed" | "rolled_back";
                            steps: {
                                /** Format: date-time */
                                finishedAt: string | null;
                                index: number;
                                /** @description setWeight, pause, analysis, gate, healthCheck, scaleDown */
                                kind: string;
                                message: string | null;
                                spec: {
                                    [key: string]: unknown;
                                };
                                /** Format: date-time */
                                startedAt: string | null;
                                /** @enum {unknown} */
                                state: "pending" | "running" | "succeeded" | "failed" | "skipped";
                            }[];
                            /** @enum {unknown} */
                            strategy: "canary" | "blue-green";
                            /** Format: date-time */
                            updatedAt: string;
                            upstream: string;
                            version: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/deployments/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resume a paused deployment (an inconclusive analysis is measured again) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason?: string;
                    } | null;
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            analysis: {
                                [key: string]: unknown;
                            } | null;
                            canaryWeight: number;
                            /** Format: date-time */
                            createdAt: string;
                            createdBy: string;
                            currentStep: number;
                            /** Format: date-time */
                            finishedAt: string | null;
                            /** Format: uuid */
                            id: string;
                            image: string | null;
                            /** Format: uuid */
                            incidentId: string | null;
                            pendingWeight: number | null;
                            reason: string | null;
                            router: string;
                            service: string;
                            stable: {
                                upstream: string;
                                version: string;
                            };
                            stableHandover: string | null;
                            stableImage: string | null;
                            /** @enum {unknown} */
                            state: "progressing" | "paused" | "aborting" | "rolling_back" | "succeeded" | "aborted" | "failed" | "rolled_back";
                            steps: {
                                /** Format: date-time */
                                finishedAt: string | null;
                                index: number;
                                /** @description setWeight, pause, analysis, gate, healthCheck, scaleDown */
                                kind: string;
                                message: string | null;
                                spec: {
                                    [key: string]: unknown;
                                };
                                /** Format: date-time */
                                startedAt: string | null;
                                /** @enum {unknown} */
                                state: "pending" | "running" | "succeeded" | "failed" | "skipped";
                            }[];
                            /** @enum {unknown} */
                            strategy: "canary" | "blue-green";
                            /** Format: date-time */
                            updatedAt: string;
                            upstream: string;
                            version: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/deployments/{id}/rollback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Roll back: during a rollout like abort; after it, the previous version takes all traffic again */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason?: string;
                    } | null;
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            analysis: {
                                [key: string]: unknown;
                            } | null;
                            canaryWeight: number;
                            /** Format: date-time */
                            createdAt: string;
                            createdBy: string;
                            currentStep: number;
                            /** Format: date-time */
                            finishedAt: string | null;
                            /** Format: uuid */
                            id: string;
                            image: string | null;
                            /** Format: uuid */
                            incidentId: string | null;
                            pendingWeight: number | null;
                            reason: string | null;
                            router: string;
                            service: string;
                            stable: {
                                upstream: string;
                                version: string;
                            };
                            stableHandover: string | null;
                            stableImage: string | null;
                            /** @enum {unknown} */
                            state: "progressing" | "paused" | "aborting" | "rolling_back" | "succeeded" | "aborted" | "failed" | "rolled_back";
                            steps: {
                                /** Format: date-time */
                                finishedAt: string | null;
                                index: number;
                                /** @description setWeight, pause, analysis, gate, healthCheck, scaleDown */
                                kind: string;
                                message: string | null;
                                spec: {
                                    [key: string]: unknown;
                                };
                                /** Format: date-time */
                                startedAt: string | null;
                                /** @enum {unknown} */
                                state: "pending" | "running" | "succeeded" | "failed" | "skipped";
                            }[];
                            /** @enum {unknown} */
                            strategy: "canary" | "blue-green";
                            /** Format: date-time */
                            updatedAt: string;
                            upstream: string;
                            version: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/escalation-policies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Escalation policies by name */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                always: {
                                    /** Format: uuid */
                                    id: string;
                                    /** @enum {unknown} */
                                    type: "contact" | "rotation" | "channel";
                                    whenCategory?: string;
                                }[];
                                /** Format: date-time */
                                createdAt: string;
                                description: string | null;
                                /** Format: uuid */
                                id: string;
                                levels: {
                                    delay: number | "response-time";
                                    targets: {
                                        /** Format: uuid */
                                        id: string;
                                        /** @enum {unknown} */
                                        type: "contact" | "rotation" | "channel";
                                        whenCategory?: string;
                                    }[];
                                }[];
                                name: string;
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                            next: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create an escalation policy: levels with delays and targets, plus always-notified targets */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        always?: {
                            /** Format: uuid */
                            id: string;
                            /** @enum {unknown} */
                            type: "contact" | "rotation" | "channel";
                            whenCategory?: string;
                        }[];
                        description?: string;
                        levels: {
                            delay: number | "response-time";
                            targets: {
                                /** Format: uuid */
                                id: string;
                                /** @enum {unknown} */
                                type: "contact" | "rotation" | "channel";
                                whenCategory?: string;
                            }[];
                        }[];
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            always: {
                                /** Format: uuid */
                                id: string;
                                /** @enum {unknown} */
                                type: "contact" | "rotation" | "channel";
                                whenCategory?: string;
                            }[];
                            /** Format: date-time */
                            createdAt: string;
                            description: string | null;
                            /** Format: uuid */
                            id: string;
                            levels: {
                                delay: number | "response-time";
                                targets: {
                                    /** Format: uuid */
                                    id: string;
                                    /** @enum {unknown} */
                                    type: "contact" | "rotation" | "channel";
                                    whenCategory?: string;
                                }[];
                            }[];
                            name: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/escalation-policies/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One escalation policy */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            always: {
                                /** Format: uuid */
                                id: string;
                                /** @enum {unknown} */
                                type: "contact" | "rotation" | "channel";
                                whenCategory?: string;
                            }[];
                            /** Format: date-time */
                            createdAt: string;
                            description: string | null;
                            /** Format: uuid */
                            id: string;
                            levels: {
                                delay: number | "response-time";
                                targets: {
                                    /** Format: uuid */
                                    id: string;
                                    /** @enum {unknown} */
                                    type: "contact" | "rotation" | "channel";
                                    whenCategory?: string;
                                }[];
                            }[];
                            name: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change an escalation policy (levels and always are replaced whole) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        always?: {
                            /** Format: uuid */
                            id: string;
                            /** @enum {unknown} */
                            type: "contact" | "rotation" | "channel";
                            whenCategory?: string;
                        }[];
                        description?: string | null;
                        levels?: {
                            delay: number | "response-time";
                            targets: {
                                /** Format: uuid */
                                id: string;
                                /** @enum {unknown} */
                                type: "contact" | "rotation" | "channel";
                                whenCategory?: string;
                            }[];
                        }[];
                        name?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            always: {
                                /** Format: uuid */
                                id: string;
                                /** @enum {unknown} */
                                type: "contact" | "rotation" | "channel";
                                whenCategory?: string;
                            }[];
                            /** Format: date-time */
                            createdAt: string;
                            description: string | null;
                            /** Format: uuid */
                            id: string;
                            levels: {
                                delay: number | "response-time";
                                targets: {
                                    /** Format: uuid */
                                    id: string;
                                    /** @enum {unknown} */
                                    type: "contact" | "rotation" | "channel";
                                    whenCategory?: string;
                                }[];
                            }[];
                            name: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live updates as Server-Sent Events
         * @description Each event has `id`, `event` (its type) and `data` (JSON). Send `Last-Event-ID` to resume; `event: reset` means events were missed and the client should refetch.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Bearer token, for EventSource clients that cannot send headers */
                    access_token?: string;
                    /** @description Comma-separated event type prefixes, e.g. "user.,audit."; default all */
                    types?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/incidents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Incidents, filtered and sorted (newest triggered first by default), with SLA outcomes and post-mortem state */
        get: {
            parameters: {
                query?: {
                    /** @description A user's id, or `unassigned` for incidents nobody has */
                    assigneeId?: string | "unassigned";
                    cursor?: string;
                    /** @description Triggered at or after this time */
                    from?: string;
                    limit?: number;
                    /** @description desc (default): newest, longest, most severe first */
                    order?: "asc" | "desc";
                    /** @description Text in the title, or in a linked alert's label values or summary (case-insensitive substring) */
                    q?: string;
                    /** @description The service, exactly */
                    service?: string;
                    /** @description Any of these severities; repeat for several */
                    severity?: ("P1" | "P2" | "P3")[];
                    /** @description triggeredAt (default); resolvedAt and duration (trigger to resolve) put unresolved incidents last; severity: desc puts P1 first. Ties go by trigger time, then id, in the same order */
                    sort?: "triggeredAt" | "resolvedAt" | "severity" | "duration";
                    /** @description Any of these states; repeat for several */
                    state?: ("triggered" | "acknowledged" | "mitigated" | "resolved" | "closed")[];
                    /** @description Triggered before this time */
                    to?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** Format: date-time */
                                acknowledgedAt: string | null;
                                /** Format: uuid */
                                assigneeId: string | null;
                                autoResolve: boolean;
                                category: string | null;
                                /** Format: date-time */
                                closedAt: string | null;
                                /** Format: uuid */
                                commanderId: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                createdBy: string;
                                durationMs: number | null;
                                /** Format: uuid */
                                escalationPolicyId: string | null;
                                groupKey: string | null;
                                /** Format: uuid */
                                id: string;
                                /** Format: date-time */
                                mitigatedAt: string | null;
                                /** Format: date-time */
                                nextPageAt: string | null;
                                paging: {
                                    levels: {
                                        afterMinutes: number;
                                        /** @description Paged before its time because the level before it reached nobody */
                                        early: boolean;
                                        /** @description The level's position in the escalation policy (0 = at trigger) */
                                        level: number;
                                        notReached: {
                                            name: string;
                                            why: {
                                                how: string;
                                                reason: string;
                                            }[];
                                        }[];
                                        /** Format: date-time */
                                        pagedAt: string;
                                        reached: {
                                            how: string[];
                                            name: string;
                                        }[];
                                        /** Format: date-time */
                                        settledAt: string | null;
                                        /**
                                         * @description paging: deliveries still under way; reached: at least one was accepted; unreached: none was
                                         * @enum {unknown}
                                         */
                                        state: "paging" | "reached" | "unreached";
                                        /** @description Who was reached and how, who was not and why, in words */
                                        summary: string;
                                        /** @description Names of the contacts, rotations and channels paged */
                                        targets: string[];
                                    }[];
                                    reachedAnyone: boolean;
                                    unreachable: boolean;
                                };
                                postmortem: {
                                    editedBy: string | null;
                                    /** @enum {unknown} */
                                    status: "draft" | "edited";
                                    /** Format: date-time */
                                    updatedAt: string | null;
                                    version: number;
                                };
                                /** Format: date-time */
                                resolvedAt: string | null;
                                runbook: {
                                    procedureId: string;
                                    procedureTitle: string;
                                    slug: string;
                                    version: number;
                                } | null;
                                service: string | null;
                                /** @enum {unknown} */
                                severity: "P1" | "P2" | "P3";
                                sla: {
                                    /** Format: date-time */
                                    ackDueAt: string;
                                    resolution: {
                                        overdueMs: number | null;
                                        /** @enum {unknown} */
                                        result: "running" | "met" | "missed";
                                        /** Format: date-time */
                                        startedAt: string;
                                        /** Format: date-time */
                                        stoppedAt: string | null;
                                        stoppedBy: "ack" | "resolve" | (never | null);
                                        tookMs: number | null;
                                    };
                                    resolutionMinutes: number;
                                    /** Format: date-time */
                                    resolveDueAt: string;
                                    response: {
                                        overdueMs: number | null;
                                        /** @enum {unknown} */
                                        result: "running" | "met" | "missed";
                                        /** Format: date-time */
                                        startedAt: string;
                                        /** Format: date-time */
                                        stoppedAt: string | null;
                                        stoppedBy: "ack" | "resolve" | (never | null);
                                        tookMs: number | null;
                                    };
                                    responseMinutes: number;
                                };
                                /** @enum {unknown} */
                                state: "triggered" | "acknowledged" | "mitigated" | "resolved" | "closed";
                                title: string;
                                /** Format: date-time */
                                triggeredAt: string;
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                            next: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Open an incident by hand */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {unknown} */
                        category?: "security";
                        /** Format: uuid */
                        escalationPolicyId?: string;
                        runbook?: {
                            procedureId: string;
                            slug: string;
                        };
                        service?: string;
                        /** @enum {unknown} */
                        severity: "P1" | "P2" | "P3";
                        title: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            acknowledgedAt: string | null;
                            /** Format: uuid */
                            assigneeId: string | null;
                            autoResolve: boolean;
                            category: string | null;
                            /** Format: date-time */
                            closedAt: string | null;
                            /** Format: uuid */
                            commanderId: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            createdBy: string;
                            /** Format: uuid */
                            escalationPolicyId: string | null;
                            groupKey: string | null;
                            /** Format: uuid */
                            id: string;
                            /** Format: date-time */
                            mitigatedAt: string | null;
                            /** Format: date-time */
                            nextPageAt: string | null;
                            paging: {
                                levels: {
                                    afterMinutes: number;
                                    /** @description Paged before its time because the level before it reached nobody */
                                    early: boolean;
                                    /** @description The level's position in the escalation policy (0 = at trigger) */
                                    level: number;
                                    notReached: {
                                        name: string;
                                        why: {
                                            how: string;
                                            reason: string;
                                        }[];
                                    }[];
                                    /** Format: date-time */
                                    pagedAt: string;
                                    reached: {
                                        how: string[];
                                        name: string;
                                    }[];
                                    /** Format: date-time */
                                    settledAt: string | null;
                                    /**
                                     * @description paging: deliveries still under way; reached: at least one was accepted; unreached: none was
                                     * @enum {unknown}
                                     */
                                    state: "paging" | "reached" | "unreached";
                                    /** @description Who was reached and how, who was not and why, in words */
                                    summary: string;
                                    /** @description Names of the contacts, rotations and channels paged */
                                    targets: string[];
                                }[];
                                reachedAnyone: boolean;
                                unreachable: boolean;
                            };
                            /** Format: date-time */
                            resolvedAt: string | null;
                            runbook: {
                                procedureId: string;
                                procedureTitle: string;
                                slug: string;
                                version: number;
                            } | null;
                            service: string | null;
                            /** @enum {unknown} */
                            severity: "P1" | "P2" | "P3";
                            sla: {
                                /** Format: date-time */
                                ackDueAt: string;
                                resolution: {
                                    overdueMs: number | null;
                                    /** @enum {unknown} */
                                    result: "running" | "met" | "missed";
                                    /** Format: date-time */
                                    startedAt: string;
                                    /** Format: date-time */
                                    stoppedAt: string | null;
                                    stoppedBy: "ack" | "resolve" | (never | null);
                                    tookMs: number | null;
                                };
                                resolutionMinutes: number;
                                /** Format: date-time */
                                resolveDueAt: string;
                                response: {
                                    overdueMs: number | null;
                                    /** @enum {unknown} */
                                    result: "running" | "met" | "missed";
                                    /** Format: date-time */
                                    startedAt: string;
                                    /** Format: date-time */
                                    stoppedAt: string | null;
                                    stoppedBy: "ack" | "resolve" | (never | null);
                                    tookMs: number | null;
                                };
                                responseMinutes: number;
                            };
                            /** @enum {unknown} */
                            state: "triggered" | "acknowledged" | "mitigated" | "resolved" | "closed";
                            title: string;
                            /** Format: date-time */
                            triggeredAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/incidents/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One incident, with the deployments of its service around it */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            acknowledgedAt: string | null;
                            /** Format: uuid */
                            assigneeId: string | null;
                            autoResolve: boolean;
                            category: string | null;
                            changes: {
                                /** Format: date-time */
                                at: string;
                                /** Format: uuid */
                                deploymentId: string;
                                /** Format: date-time */
                                finishedAt: string | null;
                                inProgress: boolean;
                                service: string;
                                stableVersion: string;
                                /** Format: date-time */
                                startedAt: string;
                                /** @description The deployment's state: progressing, paused, aborting, rolling_back, succeeded, aborted, failed, rolled_back */
                                state: string;
                                strategy: string | null;
                                summary: string;
                                version: string;
                                weight: number;
                                /** Format: date-time */
                                weightAt: string;
                            }[];
                            /** Format: date-time */
                            closedAt: string | null;
                            /** Format: uuid */
                            commanderId: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            createdBy: string;
                            /** Format: uuid */
                            escalationPolicyId: string | null;
                            groupKey: string | null;
                            /** Format: uuid */
                            id: string;
                            /** Format: date-time */
                            mitigatedAt: string | null;
                            /** Format: date-time */
                            nextPageAt: string | null;
                            paging: {
                                levels: {
                                    afterMinutes: number;
                                    /** @description Paged before its time because the level before it reached nobody */
                                    early: boolean;
                                    /** @description The level's position in the escalation policy (0 = at trigger) */
                                    level: number;
                                    notReached: {
                                        name: string;
                                        why: {
                                            how: string;
                                            reason: string;
                                        }[];
                                    }[];
                                    /** Format: date-time */
                                    pagedAt: string;
                                    reached: {
                                        how: string[];
                                        name: string;
                                    }[];
                                    /** Format: date-time */
                                    settledAt: string | null;
                                    /**
                                     * @description paging: deliveries still under way; reached: at least one was accepted; unreached: none was
                                     * @enum {unknown}
                                     */
                                    state: "paging" | "reached" | "unreached";
                                    /** @description Who was reached and how, who was not and why, in words */
                                    summary: string;
                                    /** @description Names of the contacts, rotations and channels paged */
                                    targets: string[];
                                }[];
                                reachedAnyone: boolean;
                                unreachable: boolean;
                            };
                            /** Format: date-time */
                            resolvedAt: string | null;
                            runbook: {
                                procedureId: string;
                                procedureTitle: string;
                                slug: string;
                                version: number;
                            } | null;
                            service: string | null;
                            /** @enum {unknown} */
                            severity: "P1" | "P2" | "P3";
                            sla: {
                                /** Format: date-time */
                                ackDueAt: string;
                                resolution: {
                                    overdueMs: number | null;
                                    /** @enum {unknown} */
                                    result: "running" | "met" | "missed";
                                    /** Format: date-time */
                                    startedAt: string;
                                    /** Format: date-time */
                                    stoppedAt: string | null;
                                    stoppedBy: "ack" | "resolve" | (never | null);
                                    tookMs: number | null;
                                };
                                resolutionMinutes: number;
                                /** Format: date-time */
                                resolveDueAt: string;
                                response: {
                                    overdueMs: number | null;
                                    /** @enum {unknown} */
                                    result: "running" | "met" | "missed";
                                    /** Format: date-time */
                                    startedAt: string;
                                    /** Format: date-time */
                                    stoppedAt: string | null;
                                    stoppedBy: "ack" | "resolve" | (never | null);
                                    tookMs: number | null;
                                };
                                responseMinutes: number;
                            };
                            /** @enum {unknown} */
                            state: "triggered" | "acknowledged" | "mitigated" | "resolved" | "closed";
                            title: string;
                            /** Format: date-time */
                            triggeredAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change title, severity, assignee, commander, or move to mitigated/closed/triggered */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: uuid */
                        assigneeId?: string | null;
                        /** Format: uuid */
                        commanderId?: string | null;
                        /** @enum {unknown} */
                        severity?: "P1" | "P2" | "P3";
                        state?: "mitigated" | "closed" | "triggered";
                        title?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            acknowledgedAt: string | null;
                            /** Format: uuid */
                            assigneeId: string | null;
                            autoResolve: boolean;
                            category: string | null;
                            /** Format: date-time */
                            closedAt: string | null;
                            /** Format: uuid */
                            commanderId: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            createdBy: string;
                            /** Format: uuid */
                            escalationPolicyId: string | null;
                            groupKey: string | null;
                            /** Format: uuid */
                            id: string;
                            /** Format: date-time */
                            mitigatedAt: string | null;
                            /** Format: date-time */
                            nextPageAt: string | null;
                            paging: {
                                levels: {
                                    afterMinutes: number;
                                    /** @description Paged before its time because the level before it reached nobody */
                                    early: boolean;
                                    /** @description The level's position in the escalation policy (0 = at trigger) */
                                    level: number;
                                    notReached: {
                                        name: string;
                                        why: {
                                            how: string;
                                            reason: string;
                                        }[];
                                    }[];
                                    /** Format: date-time */
                                    pagedAt: string;
                                    reached: {
                                        how: string[];
                                        name: string;
                                    }[];
                                    /** Format: date-time */
                                    settledAt: string | null;
                                    /**
                                     * @description paging: deliveries still under way; reached: at least one was accepted; unreached: none was
                                     * @enum {unknown}
                                     */
                                    state: "paging" | "reached" | "unreached";
                                    /** @description Who was reached and how, who was not and why, in words */
                                    summary: string;
                                    /** @description Names of the contacts, rotations and channels paged */
                                    targets: string[];
                                }[];
                                reachedAnyone: boolean;
                                unreachable: boolean;
                            };
                            /** Format: date-time */
                            resolvedAt: string | null;
                            runbook: {
                                procedureId: string;
                                procedureTitle: string;
                                slug: string;
                                version: number;
                            } | null;
                            service: string | null;
                            /** @enum {unknown} */
                            severity: "P1" | "P2" | "P3";
                            sla: {
                                /** Format: date-time */
                                ackDueAt: string;
                                resolution: {
                                    overdueMs: number | null;
                                    /** @enum {unknown} */
                                    result: "running" | "met" | "missed";
                                    /** Format: date-time */
                                    startedAt: string;
                                    /** Format: date-time */
                                    stoppedAt: string | null;
                                    stoppedBy: "ack" | "resolve" | (never | null);
                                    tookMs: number | null;
                                };
                                resolutionMinutes: number;
                                /** Format: date-time */
                                resolveDueAt: string;
                                response: {
                                    overdueMs: number | null;
                                    /** @enum {unknown} */
                                    result: "running" | "met" | "missed";
                                    /** Format: date-time */
                                    startedAt: string;
                                    /** Format: date-time */
                                    stoppedAt: string | null;
                                    stoppedBy: "ack" | "resolve" | (never | null);
                                    tookMs: number | null;
                                };
                                responseMinutes: number;
                            };
                            /** @enum {unknown} */
                            state: "triggered" | "acknowledged" | "mitigated" | "resolved" | "closed";
                            title: string;
                            /** Format: date-time */
                            triggeredAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/incidents/{id}/ack": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Acknowledge (stops the acknowledge clock and escalation) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            acknowledgedAt: string | null;
                            /** Format: uuid */
                            assigneeId: string | null;
                            autoResolve: boolean;
                            category: string | null;
                            /** Format: date-time */
                            closedAt: string | null;
                            /** Format: uuid */
                            commanderId: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            createdBy: string;
                            /** Format: uuid */
                            escalationPolicyId: string | null;
                            groupKey: string | null;
                            /** Format: uuid */
                            id: string;
                            /** Format: date-time */
                            mitigatedAt: string | null;
                            /** Format: date-time */
                            nextPageAt: string | null;
                            paging: {
                                levels: {
                                    afterMinutes: number;
                                    /** @description Paged before its time because the level before it reached nobody */
                                    early: boolean;
                                    /** @description The level's position in the escalation policy (0 = at trigger) */
                                    level: number;
                                    notReached: {
                                        name: string;
                                        why: {
                                            how: string;
                                            reason: string;
                                        }[];
                                    }[];
                                    /** Format: date-time */
                                    pagedAt: string;
                                    reached: {
                                        how: string[];
                                        name: string;
                                    }[];
                                    /** Format: date-time */
                                    settledAt: string | null;
                                    /**
                                     * @description paging: deliveries still under way; reached: at least one was accepted; unreached: none was
                                     * @enum {unknown}
                                     */
                                    state: "paging" | "reached" | "unreached";
                                    /** @description Who was reached and how, who was not and why, in words */
                                    summary: string;
                                    /** @description Names of the contacts, rotations and channels paged */
                                    targets: string[];
                                }[];
                                reachedAnyone: boolean;
                                unreachable: boolean;
                            };
                            /** Format: date-time */
                            resolvedAt: string | null;
                            runbook: {
                                procedureId: string;
                                procedureTitle: string;
                                slug: string;
                                version: number;
                            } | null;
                            service: string | null;
                            /** @enum {unknown} */
                            severity: "P1" | "P2" | "P3";
                            sla: {
                                /** Format: date-time */
                                ackDueAt: string;
                                resolution: {
                                    overdueMs: number | null;
                                    /** @enum {unknown} */
                                    result: "running" | "met" | "missed";
                                    /** Format: date-time */
                                    startedAt: string;
                                    /** Format: date-time */
                                    stoppedAt: string | null;
                                    stoppedBy: "ack" | "resolve" | (never | null);
                                    tookMs: number | null;
                                };
                                resolutionMinutes: number;
                                /** Format: date-time */
                                resolveDueAt: string;
                                response: {
                                    overdueMs: number | null;
                                    /** @enum {unknown} */
                                    result: "running" | "met" | "missed";
                                    /** Format: date-time */
                                    startedAt: string;
                                    /** Format: date-time */
                                    stoppedAt: string | null;
                                    stoppedBy: "ack" | "resolve" | (never | null);
                                    tookMs: number | null;
                                };
                                responseMinutes: number;
                            };
                            /** @enum {unknown} */
                            state: "triggered" | "acknowledged" | "mitigated" | "resolved" | "closed";
                            title: string;
                            /** Format: date-time */
                            triggeredAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/incidents/{id}/ack-link/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The confirmation page of an acknowledge link (HTML; acknowledges nothing) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    token: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        } | string;
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
            };
        };
        put?: never;
        /** Acknowledge through a signed link from a page, without a login (once, before it expires) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    token: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": ({
                        CallSid?: string;
                        Digits?: string;
                    } & {
                        [key: string]: string;
                    }) | null;
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        } | string;
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            acknowledged: boolean;
                            actor: string;
                            incident: {
                                /** Format: date-time */
                                acknowledgedAt: string | null;
                                /** Format: uuid */
                                assigneeId: string | null;
                                autoResolve: boolean;
                                category: string | null;
                                /** Format: date-time */
                                closedAt: string | null;
                                /** Format: uuid */
                                commanderId: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                createdBy: string;
                                /** Format: uuid */
                                escalationPolicyId: string | null;
                                groupKey: string | null;
                                /** Format: uuid */
                                id: string;
                                /** Format: date-time */
                                mitigatedAt: string | null;
                                /** Format: date-time */
                                nextPageAt: string | null;
                                paging: {
                                    levels: {
                                        afterMinutes: number;
                                        /** @description Paged before its time because the level before it reached nobody */
                                        early: boolean;
                                        /** @description The level's position in the escalation policy (0 = at trigger) */
                                        level: number;
                                        notReached: {
                                            name: string;
                                            why: {
                                                how: string;
                                                reason: string;
                                            }[];
                                        }[];
                                        /** Format: date-time */
                                        pagedAt: string;
                                        reached: {
                                            how: string[];
                                            name: string;
                                        }[];
                                        /** Format: date-time */
                                        settledAt: string | null;
                                        /**
                                         * @description paging: deliveries still under way; reached: at least one was accepted; unreached: none was
                                         * @enum {unknown}
                                         */
                                        state: "paging" | "reached" | "unreached";
                                        /** @description Who was reached and how, who was not and why, in words */
                                        summary: string;
                                        /** @description Names of the contacts, rotations and channels paged */
                                        targets: string[];
                                    }[];
                                    reachedAnyone: boolean;
                                    unreachable: boolean;
                                };
                                /** Format: date-time */
                                resolvedAt: string | null;
                                runbook: {
                                    procedureId: string;
                                    procedureTitle: string;
                                    slug: string;
                                    version: number;
                                } | null;
                                service: string | null;
                                /** @enum {unknown} */
                                severity: "P1" | "P2" | "P3";
                                sla: {
                                    /** Format: date-time */
                                    ackDueAt: string;
                                    resolution: {
                                        overdueMs: number | null;
                                        /** @enum {unknown} */
                                        result: "running" | "met" | "missed";
                                        /** Format: date-time */
                                        startedAt: string;
                                        /** Format: date-time */
                                        stoppedAt: string | null;
                                        stoppedBy: "ack" | "resolve" | (never | null);
                                        tookMs: number | null;
                                    };
                                    resolutionMinutes: number;
                                    /** Format: date-time */
                                    resolveDueAt: string;
                                    response: {
                                        overdueMs: number | null;
                                        /** @enum {unknown} */
                                        result: "running" | "met" | "missed";
                                        /** Format: date-time */
                                        startedAt: string;
                                        /** Format: date-time */
                                        stoppedAt: string | null;
                                        stoppedBy: "ack" | "resolve" | (never | null);
                                        tookMs: number | null;
                                    };
                                    responseMinutes: number;
                                };
                                /** @enum {unknown} */
                                state: "triggered" | "acknowledged" | "mitigated" | "resolved" | "closed";
                                title: string;
                                /** Format: date-time */
                                triggeredAt: string;
                                /** Format: date-time */
                                updatedAt: string;
                            };
                        } | string;
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/incidents/{id}/close": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Close a resolved incident */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            acknowledgedAt: string | null;
                            /** Format: uuid */
                            assigneeId: string | null;
                            autoResolve: boolean;
                            category: string | null;
                            /** Format: date-time */
                            closedAt: string | null;
                            /** Format: uuid */
                            commanderId: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            createdBy: string;
                            /** Format: uuid */
                            escalationPolicyId: string | null;
                            groupKey: string | null;
                            /** Format: uuid */
                            id: string;
                            /** Format: date-time */
                            mitigatedAt: string | null;
                            /** Format: date-time */
                            nextPageAt: string | null;
                            paging: {
                                levels: {
                                    afterMinutes: number;
                                    /** @description Paged before its time because the level before it reached nobody */
                                    early: boolean;
                                    /** @description The level's position in the escalation policy (0 = at trigger) */
                                    level: number;
                                    notReached: {
                                        name: string;
                                        why: {
                                            how: string;
                                            reason: string;
                                        }[];
                                    }[];
                                    /** Format: date-time */
                                    pagedAt: string;
                                    reached: {
                                        how: string[];
                                        name: string;
                                    }[];
                                    /** Format: date-time */
                                    settledAt: string | null;
                                    /**
                                     * @description paging: deliveries still under way; reached: at least one was accepted; unreached: none was
                                     * @enum {unknown}
                                     */
                                    state: "paging" | "reached" | "unreached";
                                    /** @description Who was reached and how, who was not and why, in words */
                                    summary: string;
                                    /** @description Names of the contacts, rotations and channels paged */
                                    targets: string[];
                                }[];
                                reachedAnyone: boolean;
                                unreachable: boolean;
                            };
                            /** Format: date-time */
                            resolvedAt: string | null;
                            runbook: {
                                procedureId: string;
                                procedureTitle: string;
                                slug: string;
                                version: number;
                            } | null;
                            service: string | null;
                            /** @enum {unknown} */
                            severity: "P1" | "P2" | "P3";
                            sla: {
                                /** Format: date-time */
                                ackDueAt: string;
                                resolution: {
                                    overdueMs: number | null;
                                    /** @enum {unknown} */
                                    result: "running" | "met" | "missed";
                                    /** Format: date-time */
                                    startedAt: string;
                                    /** Format: date-time */
                                    stoppedAt: string | null;
                                    stoppedBy: "ack" | "resolve" | (never | null);
                                    tookMs: number | null;
                                };
                                resolutionMinutes: number;
                                /** Format: date-time */
                                resolveDueAt: string;
                                response: {
                                    overdueMs: number | null;
                                    /** @enum {unknown} */
                                    result: "running" | "met" | "missed";
                                    /** Format: date-time */
                                    startedAt: string;
                                    /** Format: date-time */
                                    stoppedAt: string | null;
                                    stoppedBy: "ack" | "resolve" | (never | null);
                                    tookMs: number | null;
                                };
                                responseMinutes: number;
                            };
                            /** @enum {unknown} */
                            state: "triggered" | "acknowledged" | "mitigated" | "resolved" | "closed";
                            title: string;
                            /** Format: date-time */
                            triggeredAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/incidents/{id}/mitigate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark mitigated: impact stopped, cause not yet fixed */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            acknowledgedAt: string | null;
                            /** Format: uuid */
                            assigneeId: string | null;
                            autoResolve: boolean;
                            category: string | null;
                            /** Format: date-time */
                            closedAt: string | null;
                            /** Format: uuid */
                            commanderId: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            createdBy: string;
                            /** Format: uuid */
                            escalationPolicyId: string | null;
                            groupKey: string | null;
                            /** Format: uuid */
                            id: string;
                            /** Format: date-time */
                            mitigatedAt: string | null;
                            /** Format: date-time */
                            nextPageAt: string | null;
                            paging: {
                                levels: {
                                    afterMinutes: number;
                                    /** @description Paged before its time because the level before it reached nobody */
                                    early: boolean;
                                    /** @description The level's position in the escalation policy (0 = at trigger) */
                                    level: number;
                                    notReached: {
                                        name: string;
                                        why: {
                                            how: string;
                                            reason: string;
                                        }[];
                                    }[];
                                    /** Format: date-time */
                                    pagedAt: string;
                                    reached: {
                                        how: string[];
                                        name: string;
                                    }[];
                                    /** Format: date-time */
                                    settledAt: string | null;
                                    /**
                                     * @description paging: deliveries still under way; reached: at least one was accepted; unreached: none was
                                     * @enum {unknown}
                                     */
                                    state: "paging" | "reached" | "unreached";
                                    /** @description Who was reached and how, who was not and why, in words */
                                    summary: string;
                                    /** @description Names of the contacts, rotations and channels paged */
                                    targets: string[];
                                }[];
                                reachedAnyone: boolean;
                                unreachable: boolean;
                            };
                            /** Format: date-time */
                            resolvedAt: string | null;
                            runbook: {
                                procedureId: string;
                                procedureTitle: string;
                                slug: string;
                                version: number;
                            } | null;
                            service: string | null;
                            /** @enum {unknown} */
                            severity: "P1" | "P2" | "P3";
                            sla: {
                                /** Format: date-time */
                                ackDueAt: string;
                                resolution: {
                                    overdueMs: number | null;
                                    /** @enum {unknown} */
                                    result: "running" | "met" | "missed";
                                    /** Format: date-time */
                                    startedAt: string;
                                    /** Format: date-time */
                                    stoppedAt: string | null;
                                    stoppedBy: "ack" | "resolve" | (never | null);
                                    tookMs: number | null;
                                };
                                resolutionMinutes: number;
                                /** Format: date-time */
                                resolveDueAt: string;
                                response: {
                                    overdueMs: number | null;
                                    /** @enum {unknown} */
                                    result: "running" | "met" | "missed";
                                    /** Format: date-time */
                                    startedAt: string;
                                    /** Format: date-time */
                                    stoppedAt: string | null;
                                    stoppedBy: "ack" | "resolve" | (never | null);
                                    tookMs: number | null;
                                };
                                responseMinutes: number;
                            };
                            /** @enum {unknown} */
                            state: "triggered" | "acknowledged" | "mitigated" | "resolved" | "closed";
                            title: string;
                            /** Format: date-time */
                            triggeredAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/incidents/{id}/notes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add a note to the timeline */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        text: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            actor: string;
                            /** Format: date-time */
                            at: string;
                            data: {
                                [key: string]: unknown;
                            };
                            /** @description alert.fired, alert.joined, alert.refired, alert.resolved, alert.reopened, alert.recurred, state, severity, note, assignment, page, escalation, page.reached, page.unreachable, page.failed, notification.sent, notification.failed, notification.skipped, run.created, run.step, run.closed, change.deployment, approval.requested, approval.granted, sla.breach, postmortem */
                            kind: string;
                            seq: number;
                            summary: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/incidents/{id}/postmortem": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The post-mortem: the latest edit, or the generated draft (version 0) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            editedBy: string | null;
                            generated: boolean;
                            /** Format: uuid */
                            incidentId: string;
                            markdown: string;
                            /** Format: date-time */
                            updatedAt: string | null;
                            /** @description 0: the generated draft, never edited */
                            version: number;
                        };
                    };
                };
            };
        };
        /** Save an edit as a new version; baseVersion must be the latest (409 otherwise) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        baseVersion: number;
                        markdown: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            editedBy: string | null;
                            generated: boolean;
                            /** Format: uuid */
                            incidentId: string;
                            markdown: string;
                            /** Format: date-time */
                            updatedAt: string | null;
                            /** @description 0: the generated draft, never edited */
                            version: number;
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/incidents/{id}/postmortem.md": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The post-mortem as a Markdown file */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/incidents/{id}/reopen": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reopen a resolved or closed incident (back to triggered) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            acknowledgedAt: string | null;
                            /** Format: uuid */
                            assigneeId: string | null;
                            autoResolve: boolean;
                            category: string | null;
                            /** Format: date-time */
                            closedAt: string | null;
                            /** Format: uuid */
                            commanderId: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            createdBy: string;
                            /** Format: uuid */
                            escalationPolicyId: string | null;
                            groupKey: string | null;
                            /** Format: uuid */
                            id: string;
                            /** Format: date-time */
                            mitigatedAt: string | null;
                            /** Format: date-time */
                            nextPageAt: string | null;
                            paging: {
                                levels: {
                                    afterMinutes: number;
                                    /** @description Paged before its time because the level before it reached nobody */
                                    early: boolean;
                                    /** @description The level's position in the escalation policy (0 = at trigger) */
                                    level: number;
                                    notReached: {
                                        name: string;
                                        why: {
                                            how: string;
                                            reason: string;
                                        }[];
                                    }[];
                                    /** Format: date-time */
                                    pagedAt: string;
                                    reached: {
                                        how: string[];
                                        name: string;
                                    }[];
                                    /** Format: date-time */
                                    settledAt: string | null;
                                    /**
                                     * @description paging: deliveries still under way; reached: at least one was accepted; unreached: none was
                                     * @enum {unknown}
                                     */
                                    state: "paging" | "reached" | "unreached";
                                    /** @description Who was reached and how, who was not and why, in words */
                                    summary: string;
                                    /** @description Names of the contacts, rotations and channels paged */
                                    targets: string[];
                                }[];
                                reachedAnyone: boolean;
                                unreachable: boolean;
                            };
                            /** Format: date-time */
                            resolvedAt: string | null;
                            runbook: {
                                procedureId: string;
                                procedureTitle: string;
                                slug: string;
                                version: number;
                            } | null;
                            service: string | null;
                            /** @enum {unknown} */
                            severity: "P1" | "P2" | "P3";
                            sla: {
                                /** Format: date-time */
                                ackDueAt: string;
                                resolution: {
                                    overdueMs: number | null;
                                    /** @enum {unknown} */
                                    result: "running" | "met" | "missed";
                                    /** Format: date-time */
                                    startedAt: string;
                                    /** Format: date-time */
                                    stoppedAt: string | null;
                                    stoppedBy: "ack" | "resolve" | (never | null);
                                    tookMs: number | null;
                                };
                                resolutionMinutes: number;
                                /** Format: date-time */
                                resolveDueAt: string;
                                response: {
                                    overdueMs: number | null;
                                    /** @enum {unknown} */
                                    result: "running" | "met" | "missed";
                                    /** Format: date-time */
                                    startedAt: string;
                                    /** Format: date-time */
                                    stoppedAt: string | null;
                                    stoppedBy: "ack" | "resolve" | (never | null);
                                    tookMs: number | null;
                                };
                                responseMinutes: number;
                            };
                            /** @enum {unknown} */
                            state: "triggered" | "acknowledged" | "mitigated" | "resolved" | "closed";
                            title: string;
                            /** Format: date-time */
                            triggeredAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/incidents/{id}/resolve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resolve (stops the resolve clock) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            acknowledgedAt: string | null;
                            /** Format: uuid */
                            assigneeId: string | null;
                            autoResolve: boolean;
                            category: string | null;
                            /** Format: date-time */
                            closedAt: string | null;
                            /** Format: uuid */
                            commanderId: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            createdBy: string;
                            /** Format: uuid */
                            escalationPolicyId: string | null;
                            groupKey: string | null;
                            /** Format: uuid */
                            id: string;
                            /** Format: date-time */
                            mitigatedAt: string | null;
                            /** Format: date-time */
                            nextPageAt: string | null;
                            paging: {
                                levels: {
                                    afterMinutes: number;
                                    /** @description Paged before its time because the level before it reached nobody */
                                    early: boolean;
                                    /** @description The level's position in the escalation policy (0 = at trigger) */
                                    level: number;
                                    notReached: {
                                        name: string;
                                        why: {
                                            how: string;
                                            reason: string;
                                        }[];
                                    }[];
                                    /** Format: date-time */
                                    pagedAt: string;
                                    reached: {
                                        how: string[];
                                        name: string;
                                    }[];
                                    /** Format: date-time */
                                    settledAt: string | null;
                                    /**
                                     * @description paging: deliveries still under way; reached: at least one was accepted; unreached: none was
                                     * @enum {unknown}
                                     */
                                    state: "paging" | "reached" | "unreached";
                                    /** @description Who was reached and how, who was not and why, in words */
                                    summary: string;
                                    /** @description Names of the contacts, rotations and channels paged */
                                    targets: string[];
                                }[];
                                reachedAnyone: boolean;
                                unreachable: boolean;
                            };
                            /** Format: date-time */
                            resolvedAt: string | null;
                            runbook: {
                                procedureId: string;
                                procedureTitle: string;
                                slug: string;
                                version: number;
                            } | null;
                            service: string | null;
                            /** @enum {unknown} */
                            severity: "P1" | "P2" | "P3";
                            sla: {
                                /** Format: date-time */
                                ackDueAt: string;
                                resolution: {
                                    overdueMs: number | null;
                                    /** @enum {unknown} */
                                    result: "running" | "met" | "missed";
                                    /** Format: date-time */
                                    startedAt: string;
                                    /** Format: date-time */
                                    stoppedAt: string | null;
                                    stoppedBy: "ack" | "resolve" | (never | null);
                                    tookMs: number | null;
                                };
                                resolutionMinutes: number;
                                /** Format: date-time */
                                resolveDueAt: string;
                                response: {
                                    overdueMs: number | null;
                                    /** @enum {unknown} */
                                    result: "running" | "met" | "missed";
                                    /** Format: date-time */
                                    startedAt: string;
                                    /** Format: date-time */
                                    stoppedAt: string | null;
                                    stoppedBy: "ack" | "resolve" | (never | null);
                                    tookMs: number | null;
                                };
                                responseMinutes: number;
                            };
                            /** @enum {unknown} */
                            state: "triggered" | "acknowledged" | "mitigated" | "resolved" | "closed";
                            title: string;
                            /** Format: date-time */
                            triggeredAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/incidents/{id}/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a run of the incident's attached runbook procedure, linked to it */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        parameters?: {
                            [key: string]: string;
                        };
                        secretParameters?: string[];
                    } | null;
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            checks: {
                                checked: boolean;
                                /** Format: date-time */
                                checkedAt: string | null;
                                /** Format: uuid */
                                checkedBy: string | null;
                                id: string;
                                text: string;
                            }[];
                            /** @description Set when the incident was resolved while the run was unfinished: its steps not started were skipped for this reason */
                            closedReason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: uuid */
                            createdBy: string | null;
                            /** Format: date-time */
                            finishedAt: string | null;
                            /** Format: uuid */
                            id: string;
                            /** Format: uuid */
                            incidentId: string | null;
                            /** @description Secret values read "[secret]" */
                            parameters: {
                                [key: string]: string;
                            };
                            procedureId: string;
                            procedureTitle: string;
                            runbook: {
                                /** Format: uuid */
                                id: string;
                                slug: string;
                                title: string;
                            };
                            /** @enum {unknown} */
                            status: "waiting" | "running" | "succeeded" | "failed" | "cancelled" | "closed";
                            steps: {
                                /** Format: uuid */
                                approvedBy: string | null;
                                attempt: number;
                                cancelRequested: boolean;
                                command: string;
                                commandId: string;
                                description: string | null;
                                durationMs: number | null;
                                error: string | null;
                                exitCode: number | null;
                                /** Format: date-time */
                                finishedAt: string | null;
                                /** Format: uuid */
                                id: string;
                                outputBytes: number;
                                /** @description The last ~2 KiB of the stored output */
                                outputExcerpt: string;
                                outputTruncated: boolean;
                                /** Format: date-time */
                                queuedAt: string | null;
                                /** Format: uuid */
                                requestedBy: string | null;
                                risk: "read" | "change" | "destructive";
                                runnerId: string | null;
                                selector: string | null;
                                seq: number;
                                /** Format: date-time */
                                startedAt: string | null;
                                /** @enum {unknown} */
                                state: "pending" | "awaiting-approval" | "queued" | "running" | "succeeded" | "failed" | "timed-out" | "cancelled" | "skipped" | "lost";
                                stepId: string;
                                timeoutSeconds: number;
                                title: string;
                            }[];
                            /** @description Captured from `assigns` commands; secret-looking ones read "[secret]" */
                            variables: {
                                [key: string]: string;
                            };
                            version: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/incidents/{id}/timeline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The timeline, oldest first */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                actor: string;
                                /** Format: date-time */
                                at: string;
                                data: {
                                    [key: string]: unknown;
                                };
                                /** @description alert.fired, alert.joined, alert.refired, alert.resolved, alert.reopened, alert.recurred, state, severity, note, assignment, page, escalation, page.reached, page.unreachable, page.failed, notification.sent, notification.failed, notification.skipped, run.created, run.step, run.closed, change.deployment, approval.requested, approval.granted, sla.breach, postmortem */
                                kind: string;
                                seq: number;
                                summary: string;
                            }[];
                            next: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/maintenance-mode": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Whether NEXUS refuses changes (a restore in progress, or one that failed) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            active: boolean;
                            failed: boolean;
                            reason: string | null;
                            startedAt: string | null;
                            startedBy: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** End maintenance mode (after a failed restore was dealt with) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            active: boolean;
                            failed: boolean;
                            reason: string | null;
                            startedAt: string | null;
                            startedBy: string | null;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description viewer < responder < operator < admin */
                            role: "viewer" | "responder" | "operator" | "admin";
                            tokenId?: string;
                            user: components["schemas"]["def-1"];
                            via: "session" | "token";
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change your display name or e-mail */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        displayName?: string | null;
                        /** Format: email */
                        email?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            disabled: boolean;
                            displayName: string | null;
                            email: string | null;
                            /** Format: uuid */
                            id: string;
                            /** @description viewer < responder < operator < admin */
                            role: "viewer" | "responder" | "operator" | "admin";
                            /** Format: date-time */
                            updatedAt: string;
                            username: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/me/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Change your password; signs out your other sessions */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        currentPassword: string;
                        newPassword: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The delivery log, newest first: one row per notification and destination */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    incidentId?: string;
                    key?: string;
                    limit?: number;
                    state?: "queued" | "sent" | "failed" | "skipped";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                attempts: number;
                                channel: string;
                                /** Format: uuid */
                                channelId: string | null;
                                /** Format: uuid */
                                contactId: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: uuid */
                                id: string;
                                /** Format: uuid */
                                incidentId: string | null;
                                key: string;
                                lastError: string | null;
                                means: string;
                                /** Format: uuid */
                                notificationId: string;
                                recipient: string;
                                /** Format: date-time */
                                sentAt: string | null;
                                severity: string | null;
                                /** @enum {unknown} */
                                state: "queued" | "sent" | "failed" | "skipped";
                                subject: string;
                                target: string;
                                /** Format: date-time */
                                updatedAt: string;
                                via: string;
                            }[];
                            next: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/postmortems": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Post-mortems: every resolved incident's, and any edited one, most recently changed first */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                    /** @description draft: never edited; edited: saved at least once */
                    status?: "draft" | "edited";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                editedBy: string | null;
                                /** Format: uuid */
                                incidentId: string;
                                /** Format: date-time */
                                resolvedAt: string | null;
                                service: string | null;
                                /** @enum {unknown} */
                                severity: "P1" | "P2" | "P3";
                                /** @enum {unknown} */
                                state: "triggered" | "acknowledged" | "mitigated" | "resolved" | "closed";
                                /** @enum {unknown} */
                                status: "draft" | "edited";
                                title: string;
                                /** Format: date-time */
                                triggeredAt: string;
                                /** Format: date-time */
                                updatedAt: string | null;
                                version: number;
                            }[];
                            next: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rotations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Weekly rotations by name */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** Format: date-time */
                                createdAt: string;
                                handoffTime: string;
                                /** @enum {unknown} */
                                handoffWeekday: "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday";
                                /** Format: uuid */
                                id: string;
                                members: {
                                    /** Format: uuid */
                                    id: string;
                                    name: string;
                                }[];
                                name: string;
                                overrides: {
                                    contact: {
                                        /** Format: uuid */
                                        id: string;
                                        name: string;
                                    };
                                    /** Format: date-time */
                                    createdAt: string;
                                    createdBy: string;
                                    /** Format: date-time */
                                    endsAt: string;
                                    /** Format: uuid */
                                    id: string;
                                    reason: string | null;
                                    /** Format: uuid */
                                    rotationId: string;
                                    /** Format: date-time */
                                    startsAt: string;
                                }[];
                                /** Format: date */
                                startDate: string;
                                timezone: string;
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                            next: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a weekly rotation */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Local time HH:MM */
                        handoffTime: string;
                        /** @enum {unknown} */
                        handoffWeekday: "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday";
                        members: string[];
                        name: string;
                        /** Format: date */
                        startDate: string;
                        timezone: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            handoffTime: string;
                            /** @enum {unknown} */
                            handoffWeekday: "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday";
                            /** Format: uuid */
                            id: string;
                            members: {
                                /** Format: uuid */
                                id: string;
                                name: string;
                            }[];
                            name: string;
                            overrides: {
                                contact: {
                                    /** Format: uuid */
                                    id: string;
                                    name: string;
                                };
                                /** Format: date-time */
                                createdAt: string;
                                createdBy: string;
                                /** Format: date-time */
                                endsAt: string;
                                /** Format: uuid */
                                id: string;
                                reason: string | null;
                                /** Format: uuid */
                                rotationId: string;
                                /** Format: date-time */
                                startsAt: string;
                            }[];
                            /** Format: date */
                            startDate: string;
                            timezone: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rotations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One rotation with its current and future overrides */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            handoffTime: string;
                            /** @enum {unknown} */
                            handoffWeekday: "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday";
                            /** Format: uuid */
                            id: string;
                            members: {
                                /** Format: uuid */
                                id: string;
                                name: string;
                            }[];
                            name: string;
                            overrides: {
                                contact: {
                                    /** Format: uuid */
                                    id: string;
                                    name: string;
                                };
                                /** Format: date-time */
                                createdAt: string;
                                createdBy: string;
                                /** Format: date-time */
                                endsAt: string;
                                /** Format: uuid */
                                id: string;
                                reason: string | null;
                                /** Format: uuid */
                                rotationId: string;
                                /** Format: date-time */
                                startsAt: string;
                            }[];
                            /** Format: date */
                            startDate: string;
                            timezone: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a rotation (members replaces the whole ordered list) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Local time HH:MM */
                        handoffTime?: string;
                        /** @enum {unknown} */
                        handoffWeekday?: "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday";
                        members?: string[];
                        name?: string;
                        /** Format: date */
                        startDate?: string;
                        timezone?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            handoffTime: string;
                            /** @enum {unknown} */
                            handoffWeekday: "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday";
                            /** Format: uuid */
                            id: string;
                            members: {
                                /** Format: uuid */
                                id: string;
                                name: string;
                            }[];
                            name: string;
                            overrides: {
                                contact: {
                                    /** Format: uuid */
                                    id: string;
                                    name: string;
                                };
                                /** Format: date-time */
                                createdAt: string;
                                createdBy: string;
                                /** Format: date-time */
                                endsAt: string;
                                /** Format: uuid */
                                id: string;
                                reason: string | null;
                                /** Format: uuid */
                                rotationId: string;
                                /** Format: date-time */
                                startsAt: string;
                            }[];
                            /** Format: date */
                            startDate: string;
                            timezone: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/rotations/{id}/oncall": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who is on call at `at` (default: now), and since/until when */
        get: {
            parameters: {
                query?: {
                    at?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            at: string;
                            contact: {
                                /** Format: date-time */
                                createdAt: string;
                                email: string | null;
                                /** Format: uuid */
                                id: string;
                                name: string;
                                phone: string | null;
                                slack: string | null;
                                team: string | null;
                                /** Format: date-time */
                                updatedAt: string;
                            } | null;
                            /** Format: date-time */
                            from: string | null;
                            /** Format: uuid */
                            rotationId: string;
                            source: "schedule" | "override" | (never | null);
                            /** Format: date-time */
                            until: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rotations/{id}/overrides": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Put a contact on call from startsAt to endsAt, over the schedule */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: uuid */
                        contactId: string;
                        /** Format: date-time */
                        endsAt: string;
                        reason?: string;
                        /** Format: date-time */
                        startsAt: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            contact: {
                                /** Format: uuid */
                                id: string;
                                name: string;
                            };
                            /** Format: date-time */
                            createdAt: string;
                            createdBy: string;
                            /** Format: date-time */
                            endsAt: string;
                            /** Format: uuid */
                            id: string;
                            reason: string | null;
                            /** Format: uuid */
                            rotationId: string;
                            /** Format: date-time */
                            startsAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/routing-rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Routing rules in match order (first match wins) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @enum {string|null} */
                                category: "security" | null;
                                /** Format: date-time */
                                createdAt: string;
                                escalationPolicy: string | null;
                                /** Format: uuid */
                                id: string;
                                matchers: {
                                    name: string;
                                    /** @enum {unknown} */
                                    op: "=" | "!=" | "=~" | "!~";
                                    value: string;
                                }[];
                                name: string;
                                position: number;
                                runbook: {
                                    procedureId: string;
                                    slug: string;
                                } | null;
                                service: string | null;
                                /** @description null: the alert's own `severity` label decides (critical/page/P1 → P1, warning/P2 → P2, info/P3 → P3; NEXUS_ALERT_SEVERITY_MAP) */
                                severity: ("P1" | "P2" | "P3") | (never | null);
                                title: string | null;
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                            next: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Add a routing rule */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string|null} */
                        category?: "security" | null;
                        escalationPolicy?: string | null;
                        matchers: {
                            name: string;
                            /** @enum {unknown} */
                            op: "=" | "!=" | "=~" | "!~";
                            value: string;
                        }[];
                        name: string;
                        position?: number;
                        runbook?: {
                            procedureId: string;
                            slug: string;
                        } | null;
                        service?: string | null;
                        /** @description null: the alert's own `severity` label decides (critical/page/P1 → P1, warning/P2 → P2, info/P3 → P3; NEXUS_ALERT_SEVERITY_MAP) */
                        severity: ("P1" | "P2" | "P3") | (never | null);
                        title?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string|null} */
                            category: "security" | null;
                            /** Format: date-time */
                            createdAt: string;
                            escalationPolicy: string | null;
                            /** Format: uuid */
                            id: string;
                            matchers: {
                                name: string;
                                /** @enum {unknown} */
                                op: "=" | "!=" | "=~" | "!~";
                                value: string;
                            }[];
                            name: string;
                            position: number;
                            runbook: {
                                procedureId: string;
                                slug: string;
                            } | null;
                            service: string | null;
                            /** @description null: the alert's own `severity` label decides (critical/page/P1 → P1, warning/P2 → P2, info/P3 → P3; NEXUS_ALERT_SEVERITY_MAP) */
                            severity: ("P1" | "P2" | "P3") | (never | null);
                            title: string | null;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/routing-rules/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a routing rule */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        /** Change a routing rule */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string|null} */
                        category?: "security" | null;
                        escalationPolicy?: string | null;
                        matchers?: {
                            name: string;
                            /** @enum {unknown} */
                            op: "=" | "!=" | "=~" | "!~";
                            value: string;
                        }[];
                        name?: string;
                        position?: number;
                        runbook?: {
                            procedureId: string;
                            slug: string;
                        } | null;
                        service?: string | null;
                        /** @description null: the alert's own `severity` label decides (critical/page/P1 → P1, warning/P2 → P2, info/P3 → P3; NEXUS_ALERT_SEVERITY_MAP) */
                        severity?: ("P1" | "P2" | "P3") | (never | null);
                        title?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string|null} */
                            category: "security" | null;
                            /** Format: date-time */
                            createdAt: string;
                            escalationPolicy: string | null;
                            /** Format: uuid */
                            id: string;
                            matchers: {
                                name: string;
                                /** @enum {unknown} */
                                op: "=" | "!=" | "=~" | "!~";
                                value: string;
                            }[];
                            name: string;
                            position: number;
                            runbook: {
                                procedureId: string;
                                slug: string;
                            } | null;
                            service: string | null;
                            /** @description null: the alert's own `severity` label decides (critical/page/P1 → P1, warning/P2 → P2, info/P3 → P3; NEXUS_ALERT_SEVERITY_MAP) */
                            severity: ("P1" | "P2" | "P3") | (never | null);
                            title: string | null;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/runbooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The runbook library, by slug */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description shipped with NEXUS under runbooks/ and imported at start */
                                builtin: boolean;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: uuid */
                                id: string;
                                latestVersion: number;
                                slug: string;
                                title: string;
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                            next: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Import a Markdown runbook as a new version (200 and no new version when identical to the latest) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        slug?: string;
                        /** @description the Markdown runbook */
                        source: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Set when the slug named a built-in runbook that only an admin may change: this import became a new runbook, the built-in is unchanged */
                            copyOf: string | null;
                            created: boolean;
                            runbook: {
                                /** @description shipped with NEXUS under runbooks/ and imported at start */
                                builtin: boolean;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: uuid */
                                id: string;
                                latestVersion: number;
                                slug: string;
                                title: string;
                                /** Format: date-time */
                                updatedAt: string;
                            };
                            stats: {
                                checks: number;
                                commands: number;
                                contacts: number;
                                phases: number;
                                procedures: number;
                                steps: number;
                            };
                            version: {
                                /** Format: date-time */
                                approvedAt: string | null;
                                /**
                                 * Format: uuid
                                 * @description the admin who approved this version: only then may its risk= annotations lower a risk
                                 */
                                approvedBy: string | null;
                                /** @description SHA-256 of the Markdown source, hex */
                                checksum: string;
                                /** Format: date-time */
                                importedAt: string;
                                /** @description the importer's username, or system for the built-in library */
                                importedBy: string;
                                /**
                                 * Format: uuid
                                 * @description the importer's user id; null for the built-in library
                                 */
                                importedById: string | null;
                                version: number;
                            };
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Set when the slug named a built-in runbook that only an admin may change: this import became a new runbook, the built-in is unchanged */
                            copyOf: string | null;
                            created: boolean;
                            runbook: {
                                /** @description shipped with NEXUS under runbooks/ and imported at start */
                                builtin: boolean;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: uuid */
                                id: string;
                                latestVersion: number;
                                slug: string;
                                title: string;
                                /** Format: date-time */
                                updatedAt: string;
                            };
                            stats: {
                                checks: number;
                                commands: number;
                                contacts: number;
                                phases: number;
                                procedures: number;
                                steps: number;
                            };
                            version: {
                                /** Format: date-time */
                                approvedAt: string | null;
                                /**
                                 * Format: uuid
                                 * @description the admin who approved this version: only then may its risk= annotations lower a risk
                                 */
                                approvedBy: string | null;
                                /** @description SHA-256 of the Markdown source, hex */
                                checksum: string;
                                /** Format: date-time */
                                importedAt: string;
                                /** @description the importer's username, or system for the built-in library */
                                importedBy: string;
                                /**
                                 * Format: uuid
                                 * @description the importer's user id; null for the built-in library
                                 */
                                importedById: string | null;
                                version: number;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runbooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A runbook version (the latest unless ?version=N): metadata, parsed model and Markdown source */
        get: {
            parameters: {
                query?: {
                    /** @description default: the latest */
                    version?: number;
                };
                header?: never;
                path: {
                    /** @description a runbook id or slug */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            parsed: {
                                contacts: {
                                    kind: "phone" | "email" | "slack" | "url" | "other";
                                    /** @description 1-based line in the Markdown source */
                                    line: number;
                                    role: string;
                                    value: string;
                                }[];
                                frontMatter: {
                                    [key: string]: unknown;
                                };
                                groups: {
                                    /** @description 1-based line in the Markdown source */
                                    line: number;
                                    procedureIds: string[];
                                    prose: {
                                        /** @description 1-based line in the Markdown source */
                                        line: number;
                                        markdown: string;
                                    }[];
                                    title: string;
                                }[];
                                lineCount: number;
                                procedures: {
                                    group: string | null;
                                    id: string;
                                    /** @description 1-based line in the Markdown source */
                                    line: number;
                                    metadata: {
                                        extra: {
                                            [key: string]: string;
                                        };
                                        priority: ("P1" | "P2" | "P3") | (never | null);
                                        resolutionTime: {
                                            minutes: number;
                                            text: string;
                                        } | null;
                                        responseTime: {
                                            minutes: number;
                                            text: string;
                                        } | null;
                                        severity: string | null;
                                    };
                                    phases: {
                                        checks: {
                                            checked: boolean;
                                            id: string;
                                            /** @description 1-based line in the Markdown source */
                                            line: number;
                                            text: string;
                                        }[];
                                        id: string;
                                        implicit: boolean;
                                        /** @description 1-based line in the Markdown source */
                                        line: number;
                                        prose: {
                                            /** @description 1-based line in the Markdown source */
                                            line: number;
                                            markdown: string;
                                        }[];
                                        steps: {
                                            checks: {
                                                checked: boolean;
                                                id: string;
                                                /** @description 1-based line in the Markdown source */
                                                line: number;
                                                text: string;
                                            }[];
                                            commands: {
                                                annotations: {
                                                    approval?: boolean;
                                                    expect?: string;
                                                    risk?: "read" | "change" | "destructive";
                                                    runner?: string;
                                                    timeoutSeconds?: number;
                                                };
                                                assigns: string[];
                                                description: string | null;
                                                /** @description 1-based line in the Markdown source */
                                                endLine: number;
                                                id: string;
                                                language: string;
                                                /** @description 1-based line in the Markdown source */
                                                line: number;
                                                placeholders: {
                                                    /** @description 1-based line in the Markdown source */
                                                    line: number;
                                                    param: string;
                                                    raw: string;
                                                    syntax: "dollar" | "braces" | "angle";
                                                }[];
                                                text: string;
                                            }[];
                                            id: string;
                                            /** @description 1-based line in the Markdown source */
                                            line: number;
                                            number: number | null;
                                            prose: {
                                                /** @description 1-based line in the Markdown source */
                                                line: number;
                                                markdown: string;
                                            }[];
                                            title: string;
                                        }[];
                                        title: string;
                                    }[];
                                    prose: {
                                        /** @description 1-based line in the Markdown source */
                                        line: number;
                                        markdown: string;
                                    }[];
                                    symptoms: {
                                        /** @description 1-based line in the Markdown source */
                                        line: number;
                                        text: string;
                                    }[];
                                    title: string;
                                }[];
                                title: string | null;
                            };
                            runbook: {
                                /** @description shipped with NEXUS under runbooks/ and imported at start */
                                builtin: boolean;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: uuid */
                                id: string;
                                latestVersion: number;
                                slug: string;
                                title: string;
                                /** Format: date-time */
                                updatedAt: string;
                            };
                            source: string;
                            stats: {
                                checks: number;
                                commands: number;
                                contacts: number;
                                phases: number;
                                procedures: number;
                                steps: number;
                            };
                            version: {
                                /** Format: date-time */
                                approvedAt: string | null;
                                /**
                                 * Format: uuid
                                 * @description the admin who approved this version: only then may its risk= annotations lower a risk
                                 */
                                approvedBy: string | null;
                                /** @description SHA-256 of the Markdown source, hex */
                                checksum: string;
                                /** Format: date-time */
                                importedAt: string;
                                /** @description the importer's username, or system for the built-in library */
                                importedBy: string;
                                /**
                                 * Format: uuid
                                 * @description the importer's user id; null for the built-in library
                                 */
                                importedById: string | null;
                                version: number;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runbooks/{id}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Versions of a runbook, newest first */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                };
                header?: never;
                path: {
                    /** @description a runbook id or slug */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** Format: date-time */
                                approvedAt: string | null;
                                /**
                                 * Format: uuid
                                 * @description the admin who approved this version: only then may its risk= annotations lower a risk
                                 */
                                approvedBy: string | null;
                                /** @description SHA-256 of the Markdown source, hex */
                                checksum: string;
                                /** Format: date-time */
                                importedAt: string;
                                /** @description the importer's username, or system for the built-in library */
                                importedBy: string;
                                /**
                                 * Format: uuid
                                 * @description the importer's user id; null for the built-in library
                                 */
                                importedById: string | null;
                                version: number;
                            }[];
                            next: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runbooks/{id}/versions/{version}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve a runbook version (admin): its risk= annotations may then lower a command's risk below what NEXUS detects */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description a runbook id or slug */
                    id: string;
                    version: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            runbook: {
                                /** @description shipped with NEXUS under runbooks/ and imported at start */
                                builtin: boolean;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: uuid */
                                id: string;
                                latestVersion: number;
                                slug: string;
                                title: string;
                                /** Format: date-time */
                                updatedAt: string;
                            };
                            version: {
                                /** Format: date-time */
                                approvedAt: string | null;
                                /**
                                 * Format: uuid
                                 * @description the admin who approved this version: only then may its risk= annotations lower a risk
                                 */
                                approvedBy: string | null;
                                /** @description SHA-256 of the Markdown source, hex */
                                checksum: string;
                                /** Format: date-time */
                                importedAt: string;
                                /** @description the importer's username, or system for the built-in library */
                                importedBy: string;
                                /**
                                 * Format: uuid
                                 * @description the importer's user id; null for the built-in library
                                 */
                                importedById: string | null;
                                version: number;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runbooks/lint": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Lint a Markdown runbook: findings with rule, severity, line and a fix hint; nothing is stored or run */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the Markdown runbook */
                        source: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            checks: {
                                promql: "checked" | "skipped" | "failed" | "nothing-to-check";
                                sql: "checked" | "syntax-only" | "skipped" | "failed" | "nothing-to-check";
                            };
                            findings: components["schemas"]["def-4"][];
                            summary: {
                                errors: number;
                                infos: number;
                                warnings: number;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runners": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Enrolled runners and pending enrolments */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["def-5"][];
                            next: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runners/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a runner (its credential stops working at once) or an unused enrolment */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: uuid */
                            createdBy: string | null;
                            /** @description First characters of the credential, to tell runners apart */
                            credentialPrefix: string | null;
                            /** Format: date-time */
                            enrolledAt: string | null;
                            /** Format: date-time */
                            enrolmentExpiresAt: string;
                            /** Format: uuid */
                            id: string;
                            labels: {
                                [key: string]: string;
                            };
                            /** Format: date-time */
                            lastSeenAt: string | null;
                            name: string;
                            /** Format: date-time */
                            revokedAt: string | null;
                            /** @description pending: enrolment token not used yet; expired: not used in time */
                            state: "pending" | "active" | "revoked" | "expired";
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runners/enrol": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A runner exchanges its enrolment token (once) for its own credential */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        enrolmentToken: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description The runner's own bearer credential (nxr_…), shown once. Only its hash is stored. */
                            credential: string;
                            runner: components["schemas"]["def-5"];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runners/enrolments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a one-time enrolment token for a runner, with the name and labels the server will give it */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description How long the token may be used (default 60)
                         * @default 60
                         */
                        expiresInMinutes?: number;
                        labels: {
                            [key: string]: string;
                        };
                        /** @description How runs and the audit log name the runner; unique among runners not revoked */
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Shown once; usable once, before it expires. Only its hash is stored. */
                            enrolmentToken: string;
                            runner: components["schemas"]["def-5"];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runners/lease": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Long-poll for the next queued command this runner’s enrolled labels satisfy (200 with the lease, 204 when none came) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description The runner is known by its credential; its name and labels were assigned by an admin at enrolment and are not sent. */
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Which process of this runner asks (the agent sends its pid); steps and the audit log show `<runner name>:<instance>` */
                        instance?: string;
                        /** @description How long to wait for a step (default 25000) */
                        waitMs?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            assigns: string[];
                            attempt: number;
                            commandId: string;
                            /** @description Parameters and captured variables, secret ones opened */
                            env: {
                                [key: string]: string;
                            };
                            expect: string | null;
                            followStyle: boolean;
                            /** Format: uuid */
                            incidentId: string | null;
                            /** Format: uuid */
                            leaseId: string;
                            /** @description Heartbeat well within this (the agent beats every third of it) */
                            leaseSeconds: number;
                            /** Format: uuid */
                            runId: string;
                            /** @description The command with placeholders rewritten to environment references */
                            script: string;
                            /** @description Values to redact from the output */
                            secrets: string[];
                            /** Format: uuid */
                            stepId: string;
                            timeoutSeconds: number;
                        };
                    };
                };
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runners/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The calling runner: its name and the labels it serves (runner credential only) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: uuid */
                            id: string;
                            labels: {
                                [key: string]: string;
                            };
                            name: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runners/steps/{id}/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Report how a command ended; the server decides the step’s state (expect, follow-style, exit code). Only variables the command declares it assigns are kept; others are dropped and named in the audit log */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        durationMs: number;
                        error: string | null;
                        exitCode: number | null;
                        expectMet: boolean | null;
                        /** Format: uuid */
                        leaseId: string;
                        /** @enum {unknown} */
                        outcome: "exited" | "timed-out" | "stopped-at-timeout" | "cancelled" | "failed-to-start" | "abandoned";
                        signal: string | null;
                        variables: {
                            [key: string]: string;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            accepted: boolean;
                            /** @description Reported variables not kept: not declared by the command, reserved, or a secret parameter */
                            droppedVariables: string[];
                            state: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runners/steps/{id}/heartbeat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Extend the lease on a running command; says whether cancel was requested (409: the lease is gone) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: uuid */
                        leaseId: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Someone asked to cancel: kill the process group and report `cancelled` */
                            cancelRequested: boolean;
                            held: boolean;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runners/steps/{id}/output": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A batch of output chunks of a running command; redacted again, published live and stored */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        chunks: {
                            /** @description Byte offset in everything the command wrote */
                            offset: number;
                            stream: "stdout" | "stderr";
                            text: string;
                        }[];
                        /** Format: uuid */
                        leaseId: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Runs, newest first */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    incidentId?: string;
                    limit?: number;
                    status?: "waiting" | "running" | "succeeded" | "failed" | "cancelled" | "closed";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description Set when the incident was resolved while the run was unfinished: its steps not started were skipped for this reason */
                                closedReason: string | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: uuid */
                                createdBy: string | null;
                                /** Format: date-time */
                                finishedAt: string | null;
                                /** Format: uuid */
                                id: string;
                                /** Format: uuid */
                                incidentId: string | null;
                                /** @description Secret values read "[secret]" */
                                parameters: {
                                    [key: string]: string;
                                };
                                procedureId: string;
                                procedureTitle: string;
                                runbook: {
                                    /** Format: uuid */
                                    id: string;
                                    slug: string;
                                    title: string;
                                };
                                /** @enum {unknown} */
                                status: "waiting" | "running" | "succeeded" | "failed" | "cancelled" | "closed";
                                /** @description Captured from `assigns` commands; secret-looking ones read "[secret]" */
                                variables: {
                                    [key: string]: string;
                                };
                                version: number;
                            }[];
                            next: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Start a run of one procedure of a runbook version */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: uuid */
                        incidentId?: string;
                        parameters?: {
                            [key: string]: string;
                        };
                        /** @description Procedure id from the parsed runbook */
                        procedure: string;
                        /** @description Runbook id or slug */
                        runbook: string;
                        secretParameters?: string[];
                        /** @description Default: the latest version */
                        version?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            checks: {
                                checked: boolean;
                                /** Format: date-time */
                                checkedAt: string | null;
                                /** Format: uuid */
                                checkedBy: string | null;
                                id: string;
                                text: string;
                            }[];
                            /** @description Set when the incident was resolved while the run was unfinished: its steps not started were skipped for this reason */
                            closedReason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: uuid */
                            createdBy: string | null;
                            /** Format: date-time */
                            finishedAt: string | null;
                            /** Format: uuid */
                            id: string;
                            /** Format: uuid */
                            incidentId: string | null;
                            /** @description Secret values read "[secret]" */
                            parameters: {
                                [key: string]: string;
                            };
                            procedureId: string;
                            procedureTitle: string;
                            runbook: {
                                /** Format: uuid */
                                id: string;
                                slug: string;
                                title: string;
                            };
                            /** @enum {unknown} */
                            status: "waiting" | "running" | "succeeded" | "failed" | "cancelled" | "closed";
                            steps: {
                                /** Format: uuid */
                                approvedBy: string | null;
                                attempt: number;
                                cancelRequested: boolean;
                                command: string;
                                commandId: string;
                                description: string | null;
                                durationMs: number | null;
                                error: string | null;
                                exitCode: number | null;
                                /** Format: date-time */
                                finishedAt: string | null;
                                /** Format: uuid */
                                id: string;
                                outputBytes: number;
                                /** @description The last ~2 KiB of the stored output */
                                outputExcerpt: string;
                                outputTruncated: boolean;
                                /** Format: date-time */
                                queuedAt: string | null;
                                /** Format: uuid */
                                requestedBy: string | null;
                                risk: "read" | "change" | "destructive";
                                runnerId: string | null;
                                selector: string | null;
                                seq: number;
                                /** Format: date-time */
                                startedAt: string | null;
                                /** @enum {unknown} */
                                state: "pending" | "awaiting-approval" | "queued" | "running" | "succeeded" | "failed" | "timed-out" | "cancelled" | "skipped" | "lost";
                                stepId: string;
                                timeoutSeconds: number;
                                title: string;
                            }[];
                            /** @description Captured from `assigns` commands; secret-looking ones read "[secret]" */
                            variables: {
                                [key: string]: string;
                            };
                            version: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A run with its steps and checks */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            checks: {
                                checked: boolean;
                                /** Format: date-time */
                                checkedAt: string | null;
                                /** Format: uuid */
                                checkedBy: string | null;
                                id: string;
                                text: string;
                            }[];
                            /** @description Set when the incident was resolved while the run was unfinished: its steps not started were skipped for this reason */
                            closedReason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: uuid */
                            createdBy: string | null;
                            /** Format: date-time */
                            finishedAt: string | null;
                            /** Format: uuid */
                            id: string;
                            /** Format: uuid */
                            incidentId: string | null;
                            /** @description Secret values read "[secret]" */
                            parameters: {
                                [key: string]: string;
                            };
                            procedureId: string;
                            procedureTitle: string;
                            runbook: {
                                /** Format: uuid */
                                id: string;
                                slug: string;
                                title: string;
                            };
                            /** @enum {unknown} */
                            status: "waiting" | "running" | "succeeded" | "failed" | "cancelled" | "closed";
                            steps: {
                                /** Format: uuid */
                                approvedBy: string | null;
                                attempt: number;
                                cancelRequested: boolean;
                                command: string;
                                commandId: string;
                                description: string | null;
                                durationMs: number | null;
                                error: string | null;
                                exitCode: number | null;
                                /** Format: date-time */
                                finishedAt: string | null;
                                /** Format: uuid */
                                id: string;
                                outputBytes: number;
                                /** @description The last ~2 KiB of the stored output */
                                outputExcerpt: string;
                                outputTruncated: boolean;
                                /** Format: date-time */
                                queuedAt: string | null;
                                /** Format: uuid */
                                requestedBy: string | null;
                                risk: "read" | "change" | "destructive";
                                runnerId: string | null;
                                selector: string | null;
                                seq: number;
                                /** Format: date-time */
                                startedAt: string | null;
                                /** @enum {unknown} */
                                state: "pending" | "awaiting-approval" | "queued" | "running" | "succeeded" | "failed" | "timed-out" | "cancelled" | "skipped" | "lost";
                                stepId: string;
                                timeoutSeconds: number;
                                title: string;
                            }[];
                            /** @description Captured from `assigns` commands; secret-looking ones read "[secret]" */
                            variables: {
                                [key: string]: string;
                            };
                            version: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runs/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel the run: nothing more runs, running commands are killed */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            checks: {
                                checked: boolean;
                                /** Format: date-time */
                                checkedAt: string | null;
                                /** Format: uuid */
                                checkedBy: string | null;
                                id: string;
                                text: string;
                            }[];
                            /** @description Set when the incident was resolved while the run was unfinished: its steps not started were skipped for this reason */
                            closedReason: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: uuid */
                            createdBy: string | null;
                            /** Format: date-time */
                            finishedAt: string | null;
                            /** Format: uuid */
                            id: string;
                            /** Format: uuid */
                            incidentId: string | null;
                            /** @description Secret values read "[secret]" */
                            parameters: {
                                [key: string]: string;
                            };
                            procedureId: string;
                            procedureTitle: string;
                            runbook: {
                                /** Format: uuid */
                                id: string;
                                slug: string;
                                title: string;
                            };
                            /** @enum {unknown} */
                            status: "waiting" | "running" | "succeeded" | "failed" | "cancelled" | "closed";
                            steps: {
                                /** Format: uuid */
                                approvedBy: string | null;
                                attempt: number;
                                cancelRequested: boolean;
                                command: string;
                                commandId: string;
                                description: string | null;
                                durationMs: number | null;
                                error: string | null;
                                exitCode: number | null;
                                /** Format: date-time */
                                finishedAt: string | null;
                                /** Format: uuid */
                                id: string;
                                outputBytes: number;
                                /** @description The last ~2 KiB of the stored output */
                                outputExcerpt: string;
                                outputTruncated: boolean;
                                /** Format: date-time */
                                queuedAt: string | null;
                                /** Format: uuid */
                                requestedBy: string | null;
                                risk: "read" | "change" | "destructive";
                                runnerId: string | null;
                                selector: string | null;
                                seq: number;
                                /** Format: date-time */
                                startedAt: string | null;
                                /** @enum {unknown} */
                                state: "pending" | "awaiting-approval" | "queued" | "running" | "succeeded" | "failed" | "timed-out" | "cancelled" | "skipped" | "lost";
                                stepId: string;
                                timeoutSeconds: number;
                                title: string;
                            }[];
                            /** @description Captured from `assigns` commands; secret-looking ones read "[secret]" */
                            variables: {
                                [key: string]: string;
                            };
                            version: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runs/{id}/checks/{check}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Tick (or untick) a manual check */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    check: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        checked?: boolean;
                    } | null;
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            checked: boolean;
                            /** Format: date-time */
                            checkedAt: string | null;
                            /** Format: uuid */
                            checkedBy: string | null;
                            id: string;
                            text: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runs/{id}/secrets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Supply secret parameter values again (after a server key change made them unreadable) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        secrets: {
                            [key: string]: string;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            supplied: string[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runs/{id}/steps/{step}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve a step awaiting approval (a second person with the approver role) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    step: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            steps: {
                                /** Format: uuid */
                                approvedBy: string | null;
                                attempt: number;
                                cancelRequested: boolean;
                                command: string;
                                commandId: string;
                                description: string | null;
                                durationMs: number | null;
                                error: string | null;
                                exitCode: number | null;
                                /** Format: date-time */
                                finishedAt: string | null;
                                /** Format: uuid */
                                id: string;
                                outputBytes: number;
                                /** @description The last ~2 KiB of the stored output */
                                outputExcerpt: string;
                                outputTruncated: boolean;
                                /** Format: date-time */
                                queuedAt: string | null;
                                /** Format: uuid */
                                requestedBy: string | null;
                                risk: "read" | "change" | "destructive";
                                runnerId: string | null;
                                selector: string | null;
                                seq: number;
                                /** Format: date-time */
                                startedAt: string | null;
                                /** @enum {unknown} */
                                state: "pending" | "awaiting-approval" | "queued" | "running" | "succeeded" | "failed" | "timed-out" | "cancelled" | "skipped" | "lost";
                                stepId: string;
                                timeoutSeconds: number;
                                title: string;
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runs/{id}/steps/{step}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel a step; a running one has its process group killed */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    step: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            steps: {
                                /** Format: uuid */
                                approvedBy: string | null;
                                attempt: number;
                                cancelRequested: boolean;
                                command: string;
                                commandId: string;
                                description: string | null;
                                durationMs: number | null;
                                error: string | null;
                                exitCode: number | null;
                                /** Format: date-time */
                                finishedAt: string | null;
                                /** Format: uuid */
                                id: string;
                                outputBytes: number;
                                /** @description The last ~2 KiB of the stored output */
                                outputExcerpt: string;
                                outputTruncated: boolean;
                                /** Format: date-time */
                                queuedAt: string | null;
                                /** Format: uuid */
                                requestedBy: string | null;
                                risk: "read" | "change" | "destructive";
                                runnerId: string | null;
                                selector: string | null;
                                seq: number;
                                /** Format: date-time */
                                startedAt: string | null;
                                /** @enum {unknown} */
                                state: "pending" | "awaiting-approval" | "queued" | "running" | "succeeded" | "failed" | "timed-out" | "cancelled" | "skipped" | "lost";
                                stepId: string;
                                timeoutSeconds: number;
                                title: string;
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runs/{id}/steps/{step}/output": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The stored (redacted, bounded) output of one command */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    step: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            attempt: number;
                            /** @description All bytes the command wrote, including dropped ones */
                            bytes: number;
                            commandId: string;
                            /** @description Redacted; head and tail with a marker when truncated */
                            output: string;
                            state: string;
                            truncated: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runs/{id}/steps/{step}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Refuse a step awaiting approval (back to pending) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    step: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason?: string;
                    } | null;
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            steps: {
                                /** Format: uuid */
                                approvedBy: string | null;
                                attempt: number;
                                cancelRequested: boolean;
                                command: string;
                                commandId: string;
                                description: string | null;
                                durationMs: number | null;
                                error: string | null;
                                exitCode: number | null;
                                /** Format: date-time */
                                finishedAt: string | null;
                                /** Format: uuid */
                                id: string;
                                outputBytes: number;
                                /** @description The last ~2 KiB of the stored output */
                                outputExcerpt: string;
                                outputTruncated: boolean;
                                /** Format: date-time */
                                queuedAt: string | null;
                                /** Format: uuid */
                                requestedBy: string | null;
                                risk: "read" | "change" | "destructive";
                                runnerId: string | null;
                                selector: string | null;
                                seq: number;
                                /** Format: date-time */
                                startedAt: string | null;
                                /** @enum {unknown} */
                                state: "pending" | "awaiting-approval" | "queued" | "running" | "succeeded" | "failed" | "timed-out" | "cancelled" | "skipped" | "lost";
                                stepId: string;
                                timeoutSeconds: number;
                                title: string;
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runs/{id}/steps/{step}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run a failed, timed-out, lost or cancelled step again (a new attempt) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    step: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            steps: {
                                /** Format: uuid */
                                approvedBy: string | null;
                                attempt: number;
                                cancelRequested: boolean;
                                command: string;
                                commandId: string;
                                description: string | null;
                                durationMs: number | null;
                                error: string | null;
                                exitCode: number | null;
                                /** Format: date-time */
                                finishedAt: string | null;
                                /** Format: uuid */
                                id: string;
                                outputBytes: number;
                                /** @description The last ~2 KiB of the stored output */
                                outputExcerpt: string;
                                outputTruncated: boolean;
                                /** Format: date-time */
                                queuedAt: string | null;
                                /** Format: uuid */
                                requestedBy: string | null;
                                risk: "read" | "change" | "destructive";
                                runnerId: string | null;
                                selector: string | null;
                                seq: number;
                                /** Format: date-time */
                                startedAt: string | null;
                                /** @enum {unknown} */
                                state: "pending" | "awaiting-approval" | "queued" | "running" | "succeeded" | "failed" | "timed-out" | "cancelled" | "skipped" | "lost";
                                stepId: string;
                                timeoutSeconds: number;
                                title: string;
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runs/{id}/steps/{step}/run": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Request a command (or every pending command of a step): queued, or awaiting approval */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    step: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            steps: {
                                /** Format: uuid */
                                approvedBy: string | null;
                                attempt: number;
                                cancelRequested: boolean;
                                command: string;
                                commandId: string;
                                description: string | null;
                                durationMs: number | null;
                                error: string | null;
                                exitCode: number | null;
                                /** Format: date-time */
                                finishedAt: string | null;
                                /** Format: uuid */
                                id: string;
                                outputBytes: number;
                                /** @description The last ~2 KiB of the stored output */
                                outputExcerpt: string;
                                outputTruncated: boolean;
                                /** Format: date-time */
                                queuedAt: string | null;
                                /** Format: uuid */
                                requestedBy: string | null;
                                risk: "read" | "change" | "destructive";
                                runnerId: string | null;
                                selector: string | null;
                                seq: number;
                                /** Format: date-time */
                                startedAt: string | null;
                                /** @enum {unknown} */
                                state: "pending" | "awaiting-approval" | "queued" | "running" | "succeeded" | "failed" | "timed-out" | "cancelled" | "skipped" | "lost";
                                stepId: string;
                                timeoutSeconds: number;
                                title: string;
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runs/{id}/steps/{step}/skip": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark a step skipped */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    step: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            steps: {
                                /** Format: uuid */
                                approvedBy: string | null;
                                attempt: number;
                                cancelRequested: boolean;
                                command: string;
                                commandId: string;
                                description: string | null;
                                durationMs: number | null;
                                error: string | null;
                                exitCode: number | null;
                                /** Format: date-time */
                                finishedAt: string | null;
                                /** Format: uuid */
                                id: string;
                                outputBytes: number;
                                /** @description The last ~2 KiB of the stored output */
                                outputExcerpt: string;
                                outputTruncated: boolean;
                                /** Format: date-time */
                                queuedAt: string | null;
                                /** Format: uuid */
                                requestedBy: string | null;
                                risk: "read" | "change" | "destructive";
                                runnerId: string | null;
                                selector: string | null;
                                seq: number;
                                /** Format: date-time */
                                startedAt: string | null;
                                /** @enum {unknown} */
                                state: "pending" | "awaiting-approval" | "queued" | "running" | "succeeded" | "failed" | "timed-out" | "cancelled" | "skipped" | "lost";
                                stepId: string;
                                timeoutSeconds: number;
                                title: string;
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/schedules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Schedules by name, with their next due time and last run */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** Format: date-time */
                                createdAt: string;
                                cron: string;
                                description: string | null;
                                enabled: boolean;
                                /** Format: uuid */
                                id: string;
                                lastRun: {
                                    /** Format: date-time */
                                    createdAt: string;
                                    details: {
                                        [key: string]: unknown;
                                    } | null;
                                    /** Format: date-time */
                                    dueAt: string | null;
                                    /** Format: date-time */
                                    finishedAt: string | null;
                                    /** Format: uuid */
                                    id: string;
                                    notification: string | null;
                                    progress: {
                                        fraction: number | null;
                                        message: string;
                                    } | null;
                                    requestedBy: string;
                                    /** Format: uuid */
                                    runbookRunId: string | null;
                                    /** Format: uuid */
                                    scheduleId: string;
                                    /** Format: date-time */
                                    startedAt: string | null;
                                    /** @enum {unknown} */
                                    status: "queued" | "running" | "ok" | "failed" | "missed" | "cancelled";
                                    summary: string | null;
                                    /** @enum {unknown} */
                                    trigger: "due" | "catch-up" | "manual" | "missed";
                                } | null;
                                /** @enum {unknown} */
                                missedPolicy: "run-once" | "skip";
                                name: string;
                                /** Format: date-time */
                                nextDueAt: string | null;
                                owner: {
                                    /** Format: uuid */
                                    id: string;
                                    username: string;
                                };
                                parameters: {
                                    [key: string]: string;
                                };
                                procedure: string | null;
                                runbook: string | null;
                                /** Format: uuid */
                                runbookId: string | null;
                                seeded: boolean;
                                /** @enum {unknown} */
                                targetKind: "task" | "runbook";
                                targetTitle: string;
                                task: string | null;
                                timeZone: string;
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                            next: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a schedule */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Five-field cron: minute hour day-of-month month day-of-week */
                        cron: string;
                        description?: string;
                        /** @description Default: true */
                        enabled?: boolean;
                        /**
                         * @description After downtime over a due time: run once when back, or record it as missed
                         * @enum {unknown}
                         */
                        missedPolicy?: "run-once" | "skip";
                        name: string;
                        /** @description Username or user id; default: whoever creates it */
                        owner?: string;
                        parameters?: {
                            [key: string]: string;
                        };
                        /** @description Procedure id from the parsed runbook */
                        procedure?: string;
                        /** @description Runbook id or slug */
                        runbook?: string;
                        /** @description A built-in task key (GET /api/v1/schedules/tasks) */
                        task?: string;
                        /** @description IANA time zone, e.g. UTC or Europe/Berlin */
                        timeZone?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            cron: string;
                            description: string | null;
                            enabled: boolean;
                            /** Format: uuid */
                            id: string;
                            lastRun: {
                                /** Format: date-time */
                                createdAt: string;
                                details: {
                                    [key: string]: unknown;
                                } | null;
                                /** Format: date-time */
                                dueAt: string | null;
                                /** Format: date-time */
                                finishedAt: string | null;
                                /** Format: uuid */
                                id: string;
                                notification: string | null;
                                progress: {
                                    fraction: number | null;
                                    message: string;
                                } | null;
                                requestedBy: string;
                                /** Format: uuid */
                                runbookRunId: string | null;
                                /** Format: uuid */
                                scheduleId: string;
                                /** Format: date-time */
                                startedAt: string | null;
                                /** @enum {unknown} */
                                status: "queued" | "running" | "ok" | "failed" | "missed" | "cancelled";
                                summary: string | null;
                                /** @enum {unknown} */
                                trigger: "due" | "catch-up" | "manual" | "missed";
                            } | null;
                            /** @enum {unknown} */
                            missedPolicy: "run-once" | "skip";
                            name: string;
                            /** Format: date-time */
                            nextDueAt: string | null;
                            owner: {
                                /** Format: uuid */
                                id: string;
                                username: string;
                            };
                            parameters: {
                                [key: string]: string;
                            };
                            procedure: string | null;
                            runbook: string | null;
                            /** Format: uuid */
                            runbookId: string | null;
                            seeded: boolean;
                            /** @enum {unknown} */
                            targetKind: "task" | "runbook";
                            targetTitle: string;
                            task: string | null;
                            timeZone: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/schedules/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One schedule */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            cron: string;
                            description: string | null;
                            enabled: boolean;
                            /** Format: uuid */
                            id: string;
                            lastRun: {
                                /** Format: date-time */
                                createdAt: string;
                                details: {
                                    [key: string]: unknown;
                                } | null;
                                /** Format: date-time */
                                dueAt: string | null;
                                /** Format: date-time */
                                finishedAt: string | null;
                                /** Format: uuid */
                                id: string;
                                notification: string | null;
                                progress: {
                                    fraction: number | null;
                                    message: string;
                                } | null;
                                requestedBy: string;
                                /** Format: uuid */
                                runbookRunId: string | null;
                                /** Format: uuid */
                                scheduleId: string;
                                /** Format: date-time */
                                startedAt: string | null;
                                /** @enum {unknown} */
                                status: "queued" | "running" | "ok" | "failed" | "missed" | "cancelled";
                                summary: string | null;
                                /** @enum {unknown} */
                                trigger: "due" | "catch-up" | "manual" | "missed";
                            } | null;
                            /** @enum {unknown} */
                            missedPolicy: "run-once" | "skip";
                            name: string;
                            /** Format: date-time */
                            nextDueAt: string | null;
                            owner: {
                                /** Format: uuid */
                                id: string;
                                username: string;
                            };
                            parameters: {
                                [key: string]: string;
                            };
                            procedure: string | null;
                            runbook: string | null;
                            /** Format: uuid */
                            runbookId: string | null;
                            seeded: boolean;
                            /** @enum {unknown} */
                            targetKind: "task" | "runbook";
                            targetTitle: string;
                            task: string | null;
                            timeZone: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a schedule and its run history */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        /** Change a schedule (a new cron, time zone or enabling counts from now) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Five-field cron: minute hour day-of-month month day-of-week */
                        cron?: string;
                        description?: string | null;
                        enabled?: boolean;
                        /**
                         * @description After downtime over a due time: run once when back, or record it as missed
                         * @enum {unknown}
                         */
                        missedPolicy?: "run-once" | "skip";
                        name?: string;
                        /** @description Username or user id; default: whoever creates it */
                        owner?: string;
                        parameters?: {
                            [key: string]: string;
                        };
                        /** @description Procedure id from the parsed runbook */
                        procedure?: string;
                        /** @description Runbook id or slug */
                        runbook?: string;
                        /** @description A built-in task key (GET /api/v1/schedules/tasks) */
                        task?: string;
                        /** @description IANA time zone, e.g. UTC or Europe/Berlin */
                        timeZone?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            cron: string;
                            description: string | null;
                            enabled: boolean;
                            /** Format: uuid */
                            id: string;
                            lastRun: {
                                /** Format: date-time */
                                createdAt: string;
                                details: {
                                    [key: string]: unknown;
                                } | null;
                                /** Format: date-time */
                                dueAt: string | null;
                                /** Format: date-time */
                                finishedAt: string | null;
                                /** Format: uuid */
                                id: string;
                                notification: string | null;
                                progress: {
                                    fraction: number | null;
                                    message: string;
                                } | null;
                                requestedBy: string;
                                /** Format: uuid */
                                runbookRunId: string | null;
                                /** Format: uuid */
                                scheduleId: string;
                                /** Format: date-time */
                                startedAt: string | null;
                                /** @enum {unknown} */
                                status: "queued" | "running" | "ok" | "failed" | "missed" | "cancelled";
                                summary: string | null;
                                /** @enum {unknown} */
                                trigger: "due" | "catch-up" | "manual" | "missed";
                            } | null;
                            /** @enum {unknown} */
                            missedPolicy: "run-once" | "skip";
                            name: string;
                            /** Format: date-time */
                            nextDueAt: string | null;
                            owner: {
                                /** Format: uuid */
                                id: string;
                                username: string;
                            };
                            parameters: {
                                [key: string]: string;
                            };
                            procedure: string | null;
                            runbook: string | null;
                            /** Format: uuid */
                            runbookId: string | null;
                            seeded: boolean;
                            /** @enum {unknown} */
                            targetKind: "task" | "runbook";
                            targetTitle: string;
                            task: string | null;
                            timeZone: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/schedules/{id}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Disable a schedule */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            cron: string;
                            description: string | null;
                            enabled: boolean;
                            /** Format: uuid */
                            id: string;
                            lastRun: {
                                /** Format: date-time */
                                createdAt: string;
                                details: {
                                    [key: string]: unknown;
                                } | null;
                                /** Format: date-time */
                                dueAt: string | null;
                                /** Format: date-time */
                                finishedAt: string | null;
                                /** Format: uuid */
                                id: string;
                                notification: string | null;
                                progress: {
                                    fraction: number | null;
                                    message: string;
                                } | null;
                                requestedBy: string;
                                /** Format: uuid */
                                runbookRunId: string | null;
                                /** Format: uuid */
                                scheduleId: string;
                                /** Format: date-time */
                                startedAt: string | null;
                                /** @enum {unknown} */
                                status: "queued" | "running" | "ok" | "failed" | "missed" | "cancelled";
                                summary: string | null;
                                /** @enum {unknown} */
                                trigger: "due" | "catch-up" | "manual" | "missed";
                            } | null;
                            /** @enum {unknown} */
                            missedPolicy: "run-once" | "skip";
                            name: string;
                            /** Format: date-time */
                            nextDueAt: string | null;
                            owner: {
                                /** Format: uuid */
                                id: string;
                                username: string;
                            };
                            parameters: {
                                [key: string]: string;
                            };
                            procedure: string | null;
                            runbook: string | null;
                            /** Format: uuid */
                            runbookId: string | null;
                            seeded: boolean;
                            /** @enum {unknown} */
                            targetKind: "task" | "runbook";
                            targetTitle: string;
                            task: string | null;
                            timeZone: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/schedules/{id}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Enable a schedule (its next due time counts from now) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            cron: string;
                            description: string | null;
                            enabled: boolean;
                            /** Format: uuid */
                            id: string;
                            lastRun: {
                                /** Format: date-time */
                                createdAt: string;
                                details: {
                                    [key: string]: unknown;
                                } | null;
                                /** Format: date-time */
                                dueAt: string | null;
                                /** Format: date-time */
                                finishedAt: string | null;
                                /** Format: uuid */
                                id: string;
                                notification: string | null;
                                progress: {
                                    fraction: number | null;
                                    message: string;
                                } | null;
                                requestedBy: string;
                                /** Format: uuid */
                                runbookRunId: string | null;
                                /** Format: uuid */
                                scheduleId: string;
                                /** Format: date-time */
                                startedAt: string | null;
                                /** @enum {unknown} */
                                status: "queued" | "running" | "ok" | "failed" | "missed" | "cancelled";
                                summary: string | null;
                                /** @enum {unknown} */
                                trigger: "due" | "catch-up" | "manual" | "missed";
                            } | null;
                            /** @enum {unknown} */
                            missedPolicy: "run-once" | "skip";
                            name: string;
                            /** Format: date-time */
                            nextDueAt: string | null;
                            owner: {
                                /** Format: uuid */
                                id: string;
                                username: string;
                            };
                            parameters: {
                                [key: string]: string;
                            };
                            procedure: string | null;
                            runbook: string | null;
                            /** Format: uuid */
                            runbookId: string | null;
                            seeded: boolean;
                            /** @enum {unknown} */
                            targetKind: "task" | "runbook";
                            targetTitle: string;
                            task: string | null;
                            timeZone: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/schedules/{id}/run": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run a schedule now (a runbook target runs as the caller, under their role) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            details: {
                                [key: string]: unknown;
                            } | null;
                            /** Format: date-time */
                            dueAt: string | null;
                            /** Format: date-time */
                            finishedAt: string | null;
                            /** Format: uuid */
                            id: string;
                            notification: string | null;
                            progress: {
                                fraction: number | null;
                                message: string;
                            } | null;
                            requestedBy: string;
                            /** Format: uuid */
                            runbookRunId: string | null;
                            /** Format: uuid */
                            scheduleId: string;
                            /** Format: date-time */
                            startedAt: string | null;
                            /** @enum {unknown} */
                            status: "queued" | "running" | "ok" | "failed" | "missed" | "cancelled";
                            summary: string | null;
                            /** @enum {unknown} */
                            trigger: "due" | "catch-up" | "manual" | "missed";
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/schedules/{id}/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Runs of a schedule, newest first */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** Format: date-time */
                                createdAt: string;
                                details: {
                                    [key: string]: unknown;
                                } | null;
                                /** Format: date-time */
                                dueAt: string | null;
                                /** Format: date-time */
                                finishedAt: string | null;
                                /** Format: uuid */
                                id: string;
                                notification: string | null;
                                progress: {
                                    fraction: number | null;
                                    message: string;
                                } | null;
                                requestedBy: string;
                                /** Format: uuid */
                                runbookRunId: string | null;
                                /** Format: uuid */
                                scheduleId: string;
                                /** Format: date-time */
                                startedAt: string | null;
                                /** @enum {unknown} */
                                status: "queued" | "running" | "ok" | "failed" | "missed" | "cancelled";
                                summary: string | null;
                                /** @enum {unknown} */
                                trigger: "due" | "catch-up" | "manual" | "missed";
                            }[];
                            next: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/schedules/{id}/runs/{runId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One run of a schedule, with its progress */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    runId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            details: {
                                [key: string]: unknown;
                            } | null;
                            /** Format: date-time */
                            dueAt: string | null;
                            /** Format: date-time */
                            finishedAt: string | null;
                            /** Format: uuid */
                            id: string;
                            notification: string | null;
                            progress: {
                                fraction: number | null;
                                message: string;
                            } | null;
                            requestedBy: string;
                            /** Format: uuid */
                            runbookRunId: string | null;
                            /** Format: uuid */
                            scheduleId: string;
                            /** Format: date-time */
                            startedAt: string | null;
                            /** @enum {unknown} */
                            status: "queued" | "running" | "ok" | "failed" | "missed" | "cancelled";
                            summary: string | null;
                            /** @enum {unknown} */
                            trigger: "due" | "catch-up" | "manual" | "missed";
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/schedules/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The built-in tasks a schedule can run */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                description: string;
                                key: string;
                                title: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/secrets/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rotate the signing key: a new one is current at once; earlier ones verify for a grace period, or not at all */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description How long earlier keys still verify (default NEXUS_SECRETS_GRACE_SECONDS, 24 h) */
                        graceSeconds?: number;
                        /** @description Revoke every API token as well */
                        revokeApiTokens?: boolean;
                        /** @description Earlier keys verify nothing from now on: every session ends, the caller's included */
                        revokePrevious?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            actor: string;
                            /** Format: date-time */
                            at: string;
                            graceSeconds: number | null;
                            /** Format: uuid */
                            id: string;
                            /**
                             * Format: uuid
                             * @description The new signing key's id (the `kid` of tokens it signs); never its value
                             */
                            keyId: string;
                            keysRetired: number;
                            /** @description Whether the Kubernetes Secret was written too */
                            kubernetesSecret: boolean;
                            mode: "grace" | "revoke";
                            /** @description Users whose sessions ended */
                            sessionsRevoked: number;
                            tokensRevoked: number;
                            /** Format: date-time */
                            verifiesUntil: string | null;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/secrets/rotations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Rotation history, newest first: who, when, how, and what it ended */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                actor: string;
                                /** Format: date-time */
                                at: string;
                                graceSeconds: number | null;
                                /** Format: uuid */
                                id: string;
                                /**
                                 * Format: uuid
                                 * @description The new signing key's id (the `kid` of tokens it signs); never its value
                                 */
                                keyId: string;
                                keysRetired: number;
                                /** @description Whether the Kubernetes Secret was written too */
                                kubernetesSecret: boolean;
                                mode: "grace" | "revoke";
                                /** @description Users whose sessions ended */
                                sessionsRevoked: number;
                                tokensRevoked: number;
                                /** Format: date-time */
                                verifiesUntil: string | null;
                            }[];
                            next: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/silences": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Silences and maintenance windows, newest first */
        get: {
            parameters: {
                query?: {
                    active?: boolean;
                    cursor?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                active: boolean;
                                comment: string;
                                /** Format: date-time */
                                createdAt: string;
                                createdBy: string;
                                /** Format: date-time */
                                endsAt: string;
                                /** Format: uuid */
                                id: string;
                                /** @enum {unknown} */
                                kind: "silence" | "maintenance";
                                matchers: {
                                    name: string;
                                    /** @enum {unknown} */
                                    op: "=" | "!=" | "=~" | "!~";
                                    value: string;
                                }[];
                                /** Format: date-time */
                                startsAt: string;
                            }[];
                            next: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Silence alerts, or declare a maintenance window */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        comment: string;
                        /** Format: date-time */
                        endsAt: string;
                        /** @enum {unknown} */
                        kind?: "silence" | "maintenance";
                        matchers: {
                            name: string;
                            /** @enum {unknown} */
                            op: "=" | "!=" | "=~" | "!~";
                            value: string;
                        }[];
                        /** Format: date-time */
                        startsAt?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            active: boolean;
                            comment: string;
                            /** Format: date-time */
                            createdAt: string;
                            createdBy: string;
                            /** Format: date-time */
                            endsAt: string;
                            /** Format: uuid */
                            id: string;
                            /** @enum {unknown} */
                            kind: "silence" | "maintenance";
                            matchers: {
                                name: string;
                                /** @enum {unknown} */
                                op: "=" | "!=" | "=~" | "!~";
                                value: string;
                            }[];
                            /** Format: date-time */
                            startsAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/silences/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Expire a silence now (kept on record) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your API tokens (scope=all: everyone's, admin only) */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                    scope?: "mine" | "all";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["def-2"][];
                            next: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create an API token; the token is shown once */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        expiresInDays?: number;
                        name: string;
                        /** @description viewer < responder < operator < admin */
                        role?: "viewer" | "responder" | "operator" | "admin";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            info: components["schemas"]["def-2"];
                            /** @description Shown once; only its hash is stored. */
                            token: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API token */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            expiresAt: string | null;
                            /** Format: uuid */
                            id: string;
                            /** Format: date-time */
                            lastUsedAt: string | null;
                            name: string;
                            /** Format: uuid */
                            ownerId: string;
                            prefix: string;
                            /** Format: date-time */
                            revokedAt: string | null;
                            /** @description viewer < responder < operator < admin */
                            role: "viewer" | "responder" | "operator" | "admin";
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List users */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["def-1"][];
                            next: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a user */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        displayName?: string;
                        /** Format: email */
                        email?: string;
                        password: string;
                        /** @description viewer < responder < operator < admin */
                        role: "viewer" | "responder" | "operator" | "admin";
                        /** @description lowercase letters, digits, ".", "_" and "-" */
                        username: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            disabled: boolean;
                            displayName: string | null;
                            email: string | null;
                            /** Format: uuid */
                            id: string;
                            /** @description viewer < responder < operator < admin */
                            role: "viewer" | "responder" | "operator" | "admin";
                            /** Format: date-time */
                            updatedAt: string;
                            username: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One user */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            disabled: boolean;
                            displayName: string | null;
                            email: string | null;
                            /** Format: uuid */
                            id: string;
                            /** @description viewer < responder < operator < admin */
                            role: "viewer" | "responder" | "operator" | "admin";
                            /** Format: date-time */
                            updatedAt: string;
                            username: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change role, disable, rename or reset the password of a user */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        disabled?: boolean;
                        displayName?: string | null;
                        /** Format: email */
                        email?: string | null;
                        password?: string;
                        /** @description viewer < responder < operator < admin */
                        role?: "viewer" | "responder" | "operator" | "admin";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            disabled: boolean;
                            displayName: string | null;
                            email: string | null;
                            /** Format: uuid */
                            id: string;
                            /** @description viewer < responder < operator < admin */
                            role: "viewer" | "responder" | "operator" | "admin";
                            /** Format: date-time */
                            updatedAt: string;
                            username: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/users/{id}/sessions/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign a user out everywhere (session JWTs; API tokens are revoked one by one) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never> | null;
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                code: string;
                                details?: unknown;
                                message: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process is serving */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ok";
                            uptimeSeconds: number;
                            version: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** ErrorResponse */
        "def-0": {
            error: {
                code: string;
                details?: unknown;
                message: string;
            };
        };
        /** User */
        "def-1": {
            /** Format: date-time */
            createdAt: string;
            disabled: boolean;
            displayName: string | null;
            email: string | null;
            /** Format: uuid */
            id: string;
            /** @description viewer < responder < operator < admin */
            role: "viewer" | "responder" | "operator" | "admin";
            /** Format: date-time */
            updatedAt: string;
            username: string;
        };
        /** ApiToken */
        "def-2": {
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            expiresAt: string | null;
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            lastUsedAt: string | null;
            name: string;
            /** Format: uuid */
            ownerId: string;
            prefix: string;
            /** Format: date-time */
            revokedAt: string | null;
            /** @description viewer < responder < operator < admin */
            role: "viewer" | "responder" | "operator" | "admin";
        };
        /** AuditEntry */
        "def-3": {
            action: string;
            actor: string;
            actorId: string | null;
            /** Format: date-time */
            at: string;
            details: unknown;
            id: number;
            ip: string | null;
            outcome: string;
            requestId: string | null;
            statusCode: number | null;
            target: string | null;
            /** @description The target's name today (an incident's title, a channel's name); null when unknown or deleted */
            targetLabel: string | null;
        };
        /** LintFinding */
        "def-4": {
            commandId?: string;
            /** @description How to fix it, often the corrected command */
            hint: string;
            /** @description 1-based line in the Markdown source */
            line: number;
            message: string;
            procedureId?: string;
            /** @description Stable kebab-case rule id, e.g. curl-url-unquoted */
            rule: string;
            severity: "error" | "warning" | "info";
        };
        /** Runner */
        "def-5": {
            /** Format: date-time */
            createdAt: string;
            /** Format: uuid */
            createdBy: string | null;
            /** @description First characters of the credential, to tell runners apart */
            credentialPrefix: string | null;
            /** Format: date-time */
            enrolledAt: string | null;
            /** Format: date-time */
            enrolmentExpiresAt: string;
            /** Format: uuid */
            id: string;
            labels: {
                [key: string]: string;
            };
            /** Format: date-time */
            lastSeenAt: string | null;
            name: string;
            /** Format: date-time */
            revokedAt: string | null;
            /** @description pending: enrolment token not used yet; expired: not used in time */
            state: "pending" | "active" | "revoked" | "expired";
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
