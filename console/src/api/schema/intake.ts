// Generated from the intake service's OpenAPI by `recoup console api-types`. Do not edit.
export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Process alive (no dependencies checked) */
        get: operations["healthz_healthz_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics */
        get: operations["metrics_metrics_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Database and broker reachable */
        get: operations["readyz_readyz_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit-log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who read full personal data or looked up identifiers, and when (R-46) */
        get: operations["get_audit_log_v1_audit_log_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/cases": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List cases (masked) by client, placement and status
         * @description Identifiers (ID, card, phone numbers) are never taken in a URL (proxies, browser history, access logs): look them up with POST /v1/cases/search.
         */
        get: operations["get_cases_v1_cases_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/cases/{case_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One case, masked; reveal=true shows full values to the reveal roles (audit-logged) */
        get: operations["get_case_v1_cases__case_id__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/cases/{case_id}/joint": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Joint debt (共债): other cases of the same debtor, any client (R-7) */
        get: operations["get_joint_v1_cases__case_id__joint_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/cases/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Search cases (masked): exact match by ID/card/phone (blind index, R-25), identifiers in the body
         * @description Identifier lookups are audit-logged (R-46; the searched value itself is not stored).
         */
        post: operations["post_case_search_v1_cases_search_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/cases/updates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Balance (更新息费), phone/address and flag updates of open cases */
        post: operations["updates_v1_cases_updates_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/import-templates/{client_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every template version of a client */
        get: operations["get_templates_v1_import_templates__client_id__get"];
        put?: never;
        /** Create the next version of a client's import template (data specialists, admins) */
        post: operations["post_template_v1_import_templates__client_id__post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/import-templates/{client_id}/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The latest version of a template */
        get: operations["latest_template_v1_import_templates__client_id___name__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/import-templates/{client_id}/{name}/{version}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One version of a template */
        get: operations["template_version_v1_import_templates__client_id___name___version__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/placements": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The client's placements, newest first */
        get: operations["list_placements_v1_placements_get"];
        put?: never;
        /**
         * Push a placement (委案): per-row validation, idempotent on placement_ref
         * @description Good rows are accepted even when others are rejected; `errors` lists every rejected row's 0-based index, field path and reason. The same placement_ref with the same body answers the same (header `Idempotent-Replayed: true`); a different body is `409`. A still-open account of this client placed again is a row error; after a recall or closing it may be re-placed.
         */
        post: operations["post_placement_v1_placements_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/placements/{placement_ref}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Placement status: counts, rejected rows and warnings (paged), timings, the R-6 import SLA */
        get: operations["get_placement_v1_placements__placement_ref__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/placements/{placement_ref}/cases": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Each accepted row: its row index, case_id, masked account and status (reconciliation) */
        get: operations["get_placement_cases_v1_placements__placement_ref__cases_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/placements/{placement_ref}/recall-date": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Extend the placement's recall date (退案日延期) before it comes (R-5)
         * @description Moves `recall_on` later; refused (409) once the recall day has come — its open cases are then recalled (case.updated change=recall) — and 422 for a date not later than the current one. A recall day that is not a working day is handled as the client's contract says (`non_working_day_rule`: on_day, or next_working_day).
         */
        post: operations["post_recall_date_v1_placements__placement_ref__recall_date_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/placements/upload": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Push a placement as a CSV/XLSX file through the client's import template
         * @description The same path as JSON placements after reading the file: row errors carry the file's row number and the column header; idempotent on placement_ref (the file's bytes, the template and the placement fields form the body).
         */
        post: operations["upload_placement_v1_placements_upload_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/recalls": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Recall (退案) accounts or a whole placement */
        post: operations["recalls_v1_recalls_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/repayments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Repayments (还款记录): idempotent on txn_ref; fully repaid cases close automatically
         * @description Unknown accounts and a txn_ref re-sent with different data are row errors; a txn_ref re-sent with the same data is counted under `duplicates`. A repayment for a recalled or closed case is recorded and listed under `flagged`. `paid_at` without an offset is Asia/Shanghai time.
         */
        post: operations["repayments_v1_repayments_post"];
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
        /** AuditEntryOut */
        AuditEntryOut: {
            /** Action */
            action: string;
            /** Actor */
            actor: string;
            /**
             * At
             * Format: date-time
             */
            at: string;
            /** Case Id */
            case_id: string | null;
            /** Client Id */
            client_id: string | null;
            /** Correlation Id */
            correlation_id: string | null;
            /** Detail */
            detail: {
                [key: string]: unknown;
            };
            /** Fields */
            fields: string[];
            /** Id */
            id: number;
            /** Reason */
            reason: string | null;
            /** Roles */
            roles: string[];
        };
        /** AuditPageOut */
        AuditPageOut: {
            /** Items */
            items: components["schemas"]["AuditEntryOut"][];
            /**
             * Next Cursor
             * @description pass as `cursor` for the next page
             */
            next_cursor: string | null;
        };
        /** CaseDetailOut */
        CaseDetailOut: {
            /** Account Masked */
            account_masked: string;
            /**
             * Account Ref
             * @description only with reveal=true (audit-logged)
             */
            account_ref?: string | null;
            /** Addresses */
            addresses: {
                [key: string]: unknown;
            }[];
            /** Case Id */
            case_id: string;
            /** Client Id */
            client_id: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Currency */
            currency: string;
            /** Debtor Name */
            debtor_name: string;
            /** Dpd */
            dpd: number;
            /** Dpd Bucket */
            dpd_bucket: string;
            /**
             * Extra
             * @description client-specific fields of the case (R-3 template extra.<name>)
             * @default {}
             */
            extra?: {
                [key: string]: unknown;
            };
            /** Fees */
            fees: string;
            /** Flags */
            flags: string[];
            /** Gender */
            gender: string | null;
            /**
             * Id Number
             * @description only with reveal=true (audit-logged)
             */
            id_number?: string | null;
            /** Id Number Masked */
            id_number_masked: string;
            /** Interest */
            interest: string;
            /** Outstanding */
            outstanding: string;
            /** Phones */
            phones: {
                [key: string]: unknown;
            }[];
            /** Placed Amount */
            placed_amount: string;
            /**
             * Placed On
             * Format: date
             */
            placed_on: string;
            /** Placement Id */
            placement_id: string;
            /** Placement Ref */
            placement_ref: string;
            /** Principal */
            principal: string;
            /** Product */
            product: string;
            /**
             * Recall On
             * Format: date
             */
            recall_on: string;
            /** Repaid Total */
            repaid_total: string;
            /** Repayments */
            repayments: {
                [key: string]: unknown;
            }[];
            /** Revealed */
            revealed: boolean;
            /** Row */
            row: number;
            /**
             * Skip Trace
             * @description no valid phone of the debtor (R-4): skip tracing
             * @default false
             */
            skip_trace?: boolean;
            /** Status */
            status: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
        } & {
            [key: string]: unknown;
        };
        /** CaseSearchIn */
        CaseSearchIn: {
            /**
             * Card Number
             * @description card or account number
             */
            card_number?: string | null;
            /** Client Id */
            client_id?: string | null;
            /**
             * Cursor
             * @description opaque: `next_cursor` of the previous page
             */
            cursor?: string | null;
            /**
             * Id Number
             * @description resident ID number (15 or 18 characters)
             */
            id_number?: string | null;
            /**
             * Limit
             * @default 100
             */
            limit?: number;
            /**
             * Phone
             * @description any phone of the case (R-25 inbound call)
             */
            phone?: string | null;
            /** Placement Ref */
            placement_ref?: string | null;
            /** Status */
            status?: ("open" | "recalled" | "closed") | null;
        };
        /** CaseSearchOut */
        CaseSearchOut: {
            /** Items */
            items: components["schemas"]["CaseSummaryOut"][];
            /**
             * Next Cursor
             * @description pass as `cursor` for the next page
             */
            next_cursor: string | null;
        };
        /** CaseSummaryOut */
        CaseSummaryOut: {
            /** Account Masked */
            account_masked: string;
            /** Case Id */
            case_id: string;
            /** Client Id */
            client_id: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Currency */
            currency: string;
            /** Debtor Name */
            debtor_name: string;
            /** Dpd */
            dpd: number;
            /** Dpd Bucket */
            dpd_bucket: string;
            /** Flags */
            flags: string[];
            /** Gender */
            gender: string | null;
            /** Id Number Masked */
            id_number_masked: string;
            /** Outstanding */
            outstanding: string;
            /** Placed Amount */
            placed_amount: string;
            /** Placement Ref */
            placement_ref: string;
            /** Product */
            product: string;
            /** Repaid Total */
            repaid_total: string;
            /** Row */
            row: number;
            /** Status */
            status: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
        };
        /**
         * FieldConversion
         * @description How the cells of one field are read. Every attribute is optional: unset ones fall back to
         *     the template's `default_conversion`, then to the built-in defaults.
         */
        FieldConversion: {
            /**
             * Date Formats
             * @description strptime formats tried in order (default: YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD, …)
             */
            date_formats?: string[] | null;
            /**
             * Decimal Separator
             * @description default "."
             */
            decimal_separator?: string | null;
            /**
             * Split
             * @description characters separating several values in one cell (phones, flags); default , ; / 、 | and newlines
             */
            split?: string | null;
            /**
             * Thousands Separator
             * @description default ","
             */
            thousands_separator?: string | null;
            /**
             * Type
             * @description client fields (extra.<name>) only: how the cells are read — text (default), amount (a decimal, thousands separators and currency signs removed) or date (date_formats, Excel dates); a cell that is not one is kept as text, with a warning
             */
            type?: ("text" | "amount" | "date") | null;
            /**
             * Values
             * @description value map applied to the cell text: yes/no {"是": true}, gender {"男": "M"}, flags {"投诉": "complaint_history"}, or any text replacement; merged over the built-in maps
             */
            values?: {
                [key: string]: unknown;
            } | null;
        };
        /** FlaggedOut */
        FlaggedOut: {
            /**
             * Flag
             * @enum {string}
             */
            flag: "case_recalled" | "case_closed";
            /** Row */
            row: number;
            /** Txn Ref */
            txn_ref: string;
        };
        /** JointLinkOut */
        JointLinkOut: {
            /** Account Masked */
            account_masked: string;
            /** Case Id */
            case_id: string;
            /** Client Id */
            client_id: string;
            /** Debtor Name */
            debtor_name: string;
            /**
             * Linked At
             * @description when intake linked them on import (null: found live)
             */
            linked_at: string | null;
            /** Outstanding */
            outstanding: string;
            /** Placed Amount */
            placed_amount: string;
            /** Placement Ref */
            placement_ref: string;
            /** Repaid Total */
            repaid_total: string;
            /** Status */
            status: string;
        };
        /** JointOut */
        JointOut: {
            /** Case Id */
            case_id: string;
            /** Links */
            links: components["schemas"]["JointLinkOut"][];
        };
        /** PlacementAccepted */
        PlacementAccepted: {
            /** Accepted */
            accepted: number;
            /** Errors */
            errors: components["schemas"]["RowErrorOut"][];
            /** Placement Id */
            placement_id: string;
            /** Placement Ref */
            placement_ref: string;
            /** Received */
            received: number;
            /** Rejected */
            rejected: number;
            /**
             * Warned
             * @description accepted rows with warnings (R-4)
             * @default 0
             */
            warned?: number;
            /**
             * Warnings
             * @description accepted rows' warnings: a malformed phone or address kept invalid (never dialled or written to), no valid debtor phone (skip tracing), the stated total kept (R-4); uploads: file-level notes too (row 0 or the header row)
             * @default []
             */
            warnings?: components["schemas"]["RowErrorOut"][];
        };
        /** PlacementCaseOut */
        PlacementCaseOut: {
            /** Account Masked */
            account_masked: string;
            /** Case Id */
            case_id: string;
            /** Row */
            row: number;
            /**
             * Status
             * @enum {string}
             */
            status: "open" | "recalled" | "closed";
        };
        /** PlacementCasesOut */
        PlacementCasesOut: {
            /** Items */
            items: components["schemas"]["PlacementCaseOut"][];
            /**
             * Next Cursor
             * @description pass as `cursor` for the next page
             */
            next_cursor: string | null;
            /** Placement Ref */
            placement_ref: string;
        };
        /** PlacementCountsOut */
        PlacementCountsOut: {
            /** Accepted */
            accepted: number;
            /**
             * Cases
             * @description accepted cases by current status: open, recalled, closed
             */
            cases: {
                [key: string]: number;
            };
            /** Received */
            received: number;
            /** Rejected */
            rejected: number;
            /**
             * Warned
             * @description accepted rows with warnings (R-4)
             * @default 0
             */
            warned?: number;
        };
        /** PlacementListItem */
        PlacementListItem: {
            /** Accepted */
            accepted: number;
            /**
             * Placed On
             * Format: date
             */
            placed_on: string;
            /** Placement Id */
            placement_id: string;
            /** Placement Ref */
            placement_ref: string;
            /** Product */
            product: string;
            /** Published At */
            published_at: string | null;
            /** Received */
            received: number;
            /**
             * Received At
             * Format: date-time
             */
            received_at: string;
            /** Rejected */
            rejected: number;
        };
        /** PlacementListOut */
        PlacementListOut: {
            /** Items */
            items: components["schemas"]["PlacementListItem"][];
            /**
             * Next Cursor
             * @description pass as `cursor` for the next page
             */
            next_cursor: string | null;
        };
        /** PlacementRecallOut */
        PlacementRecallOut: {
            /**
             * Effective Recall On
             * Format: date
             * @description the business day the open cases are recalled (R-5)
             */
            effective_recall_on: string;
            /**
             * Extensions
             * @description each extension of the recall date by the client
             */
            extensions: {
                [key: string]: unknown;
            }[];
            /**
             * Non Working Day Rule
             * @enum {string}
             */
            non_working_day_rule: "on_day" | "next_working_day";
            /**
             * Recall On
             * Format: date
             */
            recall_on: string;
            /**
             * Recalled At
             * @description when the recall job recalled the placement's open cases
             */
            recalled_at: string | null;
            /** Recalled Cases */
            recalled_cases: number | null;
        };
        /** PlacementStatusOut */
        PlacementStatusOut: {
            /** Client Id */
            client_id: string;
            counts: components["schemas"]["PlacementCountsOut"];
            /**
             * Placed On
             * Format: date
             */
            placed_on: string;
            /** Placement Id */
            placement_id: string;
            /** Placement Ref */
            placement_ref: string;
            /** Product */
            product: string;
            /** @description the placement's end (R-5): its recall date and the job's run */
            recall: components["schemas"]["PlacementRecallOut"];
            /**
             * Recall On
             * Format: date
             */
            recall_on: string;
            rejected_rows: components["schemas"]["RejectedPage"];
            /** Source */
            source: string;
            /**
             * Status
             * @enum {string}
             */
            status: "imported" | "published";
            /** Template */
            template: {
                [key: string]: unknown;
            } | null;
            timings: components["schemas"]["TimingsOut"];
            /** @description the accepted rows' warnings (R-4); next page: warnings_cursor */
            warnings: components["schemas"]["RejectedPage"];
        };
        /**
         * Problem
         * @description RFC 9457 problem details; `errors` lists per-field reasons of a 4xx.
         */
        Problem: {
            correlation_id?: string | null;
            detail?: string;
            errors?: {
                [key: string]: unknown;
            }[];
            status: number;
            title: string;
            type: string;
        } & {
            [key: string]: unknown;
        };
        /** RecallDateIn */
        RecallDateIn: {
            /** Reason */
            reason?: string | null;
            /**
             * Recall On
             * Format: date
             * @description the new recall date: later than the current one
             */
            recall_on: string;
        };
        /** RecallDateOut */
        RecallDateOut: {
            /**
             * Effective Recall On
             * Format: date
             */
            effective_recall_on: string;
            /**
             * Non Working Day Rule
             * @enum {string}
             */
            non_working_day_rule: "on_day" | "next_working_day";
            /** Placement Ref */
            placement_ref: string;
            /**
             * Previous Recall On
             * Format: date
             */
            previous_recall_on: string;
            /**
             * Recall On
             * Format: date
             */
            recall_on: string;
        };
        /** RecallOut */
        RecallOut: {
            /** Errors */
            errors: components["schemas"]["RowErrorOut"][];
            /**
             * Not Open
             * @description already recalled / closed: nothing changed
             */
            not_open: {
                [key: string]: number;
            };
            /** Placement Ref */
            placement_ref?: string | null;
            /** Recalled */
            recalled: number;
            /**
             * Rejected
             * @default 0
             */
            rejected?: number;
        };
        /** RejectedPage */
        RejectedPage: {
            /** Items */
            items: components["schemas"]["RowErrorOut"][];
            /**
             * Next Cursor
             * @description pass as errors_cursor (warnings: warnings_cursor) for the next page
             */
            next_cursor: string | null;
        };
        /** RepaymentsOut */
        RepaymentsOut: {
            /**
             * Closed Cases
             * @description cases fully repaid by this batch (closed automatically, R-5)
             */
            closed_cases: number;
            /**
             * Duplicates
             * @description txn_refs already recorded with the same content (nothing written)
             */
            duplicates: number;
            /** Errors */
            errors: components["schemas"]["RowErrorOut"][];
            /** Flagged */
            flagged: components["schemas"]["FlaggedOut"][];
            /** Received */
            received: number;
            /** Recorded */
            recorded: number;
            /** Rejected */
            rejected: number;
        };
        /** RowErrorOut */
        RowErrorOut: {
            /**
             * Field
             * @example cases[3].debtor.id_number
             */
            field: string;
            /** Reason */
            reason: string;
            /**
             * Row
             * @description 0-based index into `cases` (uploads: the file's row number)
             */
            row: number | null;
        };
        /** SlaOut */
        SlaOut: {
            /** Import Max Seconds */
            import_max_seconds: number;
            /** Import Target Seconds */
            import_target_seconds: number;
            /** Import Within Max */
            import_within_max: boolean;
            /** Import Within Target */
            import_within_target: boolean;
        };
        /**
         * TemplateDefinition
         * @description What a data specialist writes (R-3): column header → field path, value conversions, and how
         *     the file is laid out. Published as the schema of `definition` in the OpenAPI document; the
         *     mapping as a whole (required fields, columns feeding one field) is judged by ImportTemplate.
         */
        TemplateDefinition: {
            /**
             * Columns
             * @description column header → field path: known field paths: account_ref, product, debtor.name, debtor.id_number, debtor.gender, debtor.birth_date, currency, principal, interest, fees, placed_amount, credit_limit, dpd, overdue_since, last_payment.on, last_payment.amount, employer, remarks, flags, phones[mobile|home|work|other], contacts[N].name|relationship|phone|knows_debt|employer, contacts[N].phones[mobile|home|work|other], contacts[N].addresses[home|work|...].line|province|city|district (N = 1..20), addresses[household_registration|home|work|other].line|province|city|district|employer, flags[complaint_history|dispute|fraud_claim|stolen_card|do_not_contact|special_population], extra.<name> (a client field: letters, digits, _ - . ( ); typed by conversions[path].type: text, amount, date)
             * @example {
             *       "合同编号": "account_ref",
             *       "客户姓名": "debtor.name",
             *       "申请号": "extra.申请号",
             *       "联系人1手机号码": "contacts[1].phones[mobile]",
             *       "身份证号": "debtor.id_number"
             *     }
             */
            columns: {
                [key: string]: string;
            };
            /**
             * Conversions
             * @description field path → conversion overrides
             */
            conversions?: {
                [key: string]: components["schemas"]["FieldConversion"];
            };
            default_conversion?: components["schemas"]["FieldConversion"];
            /**
             * Delimiter
             * @description CSV delimiter; default sniffed
             */
            delimiter?: string | null;
            /**
             * Encoding
             * @description CSV encoding; default detected
             */
            encoding?: string | null;
            /**
             * Header Row
             * @description 1-based row holding the headers
             * @default 1
             */
            header_row?: number;
            /**
             * Require All Columns
             * @description every mapped column must be in the file (else only the required fields')
             * @default false
             */
            require_all_columns?: boolean;
            /**
             * Sheet
             * @description XLSX sheet name or 0-based index; default the first
             */
            sheet?: string | number | null;
            /**
             * Skip Blank Rows
             * @default true
             */
            skip_blank_rows?: boolean;
        };
        /** TemplateIn */
        TemplateIn: {
            /** @description column header → field path, value conversions, file layout (R-3); the mapping as a whole is checked too: the required fields mapped, one column per field */
            definition: components["schemas"]["TemplateDefinition"];
            /** Description */
            description?: string | null;
            /**
             * Name
             * @example cards-v1
             */
            name: string;
        };
        /** TemplateListOut */
        TemplateListOut: {
            /** Items */
            items: components["schemas"]["TemplateOut"][];
        };
        /** TemplateOut */
        TemplateOut: {
            /** Client Id */
            client_id: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Created By */
            created_by: string;
            definition?: components["schemas"]["TemplateDefinition"] | null;
            /** Description */
            description: string | null;
            /** Name */
            name: string;
            /** Version */
            version: number;
        };
        /** TimingsOut */
        TimingsOut: {
            /**
             * Imported At
             * Format: date-time
             */
            imported_at: string;
            /** Published At */
            published_at: string | null;
            /**
             * Received At
             * Format: date-time
             */
            received_at: string;
            /** Seconds To Import */
            seconds_to_import: number;
            /** Seconds To Publish */
            seconds_to_publish: number | null;
            sla: components["schemas"]["SlaOut"];
        };
        /** UpdatesOut */
        UpdatesOut: {
            /** Applied */
            applied: number;
            /** Closed Cases */
            closed_cases: number;
            /** Errors */
            errors: components["schemas"]["RowErrorOut"][];
            /** Received */
            received: number;
            /** Rejected */
            rejected: number;
            /**
             * Warnings
             * @description applied rows' malformed phones/addresses, kept invalid (R-4)
             * @default []
             */
            warnings?: components["schemas"]["RowErrorOut"][];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    healthz_healthz_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: string;
                    };
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (a dependency is down): retry */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    metrics_metrics_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text exposition format */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (a dependency is down): retry */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    readyz_readyz_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is not reachable (the checks say which) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_audit_log_v1_audit_log_get: {
        parameters: {
            query?: {
                action?: ("reveal" | "search") | null;
                actor?: string | null;
                case_id?: string | null;
                /** @description opaque: the `next_cursor` of the previous page */
                cursor?: string | null;
                /** @description rows per page */
                limit?: number;
                since?: string | null;
                until?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditPageOut"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request is not valid */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (a dependency is down): retry */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_cases_v1_cases_get: {
        parameters: {
            query?: {
                client_id?: string | null;
                /** @description opaque: the `next_cursor` of the previous page */
                cursor?: string | null;
                /** @description rows per page */
                limit?: number;
                placement_ref?: string | null;
                status?: ("open" | "recalled" | "closed") | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CaseSearchOut"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request is not valid */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (a dependency is down): retry */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_case_v1_cases__case_id__get: {
        parameters: {
            query?: {
                /** @description why the full values are needed */
                reason?: string | null;
                /** @description full ID/card/phones/addresses (admin, supervisor, data_specialist) */
                reveal?: boolean;
            };
            header?: never;
            path: {
                case_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CaseDetailOut"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (a dependency is down): retry */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_joint_v1_cases__case_id__joint_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                case_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JointOut"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (a dependency is down): retry */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    post_case_search_v1_cases_search_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CaseSearchIn"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CaseSearchOut"];
                };
            };
            /** @description Malformed request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Payload too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported media type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request is not valid */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (a dependency is down): retry */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updates_v1_cases_updates_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description update rows, judged one by one */
        requestBody: {
            content: {
                "application/json": {
                    /** Updates */
                    updates: {
                        /** Account Ref */
                        account_ref: string;
                        /**
                         * Addresses
                         * @description addresses to add
                         * @default []
                         */
                        addresses?: {
                            /** City */
                            city?: string | null;
                            /** District */
                            district?: string | null;
                            /** Employer */
                            employer?: string | null;
                            /**
                             * Kind
                             * @enum {string}
                             */
                            kind: "household_registration" | "home" | "work" | "other";
                            /**
                             * Line
                             * @description a missing or over-long line is kept invalid, with a warning (R-4)
                             */
                            line: string;
                            /**
                             * Name
                             * @description whose address (a contact's name)
                             */
                            name?: string | null;
                            /**
                             * Owner
                             * @description a contact person's address: contact
                             * @default debtor
                             * @enum {string}
                             */
                            owner?: "debtor" | "contact";
                            /** Province */
                            province?: string | null;
                            /** Relationship */
                            relationship?: string | null;
                        }[];
                        /** Effective On */
                        effective_on?: string | null;
                        /** Fees */
                        fees?: number | string | null;
                        /**
                         * Flags
                         * @description the case's complete new set of flags
                         */
                        flags?: string[] | null;
                        /** Interest */
                        interest?: number | string | null;
                        /**
                         * Phones
                         * @description phones to add
                         * @default []
                         */
                        phones?: {
                            /**
                             * Employer
                             * @description the person's employer (a contact's 工作单位)
                             */
                            employer?: string | null;
                            /**
                             * Kind
                             * @enum {string}
                             */
                            kind: "mobile" | "home" | "work" | "other";
                            /** Knows Debt */
                            knows_debt?: boolean | null;
                            /**
                             * Name
                             * @description required for a contact (else the phone is kept invalid)
                             */
                            name?: string | null;
                            /**
                             * Number
                             * @description a malformed number is kept, marked invalid, with a warning (R-4)
                             * @example 13800138000
                             * @example 0371-65432100
                             */
                            number: string;
                            /**
                             * Owner
                             * @default debtor
                             * @enum {string}
                             */
                            owner?: "debtor" | "contact";
                            /**
                             * Relationship
                             * @description required for a contact
                             * @example spouse
                             */
                            relationship?: string | null;
                        }[];
                        /** Placed Amount */
                        placed_amount?: number | string | null;
                        /** Principal */
                        principal?: number | string | null;
                        /** Remarks */
                        remarks?: string | null;
                    }[];
                };
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UpdatesOut"];
                };
            };
            /** @description The request body is not valid JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Payload too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported media type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request is not valid */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (a dependency is down): retry */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_templates_v1_import_templates__client_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                client_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TemplateListOut"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (a dependency is down): retry */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    post_template_v1_import_templates__client_id__post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                client_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TemplateIn"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TemplateOut"];
                };
            };
            /** @description Malformed request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Payload too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported media type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request is not valid */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (a dependency is down): retry */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    latest_template_v1_import_templates__client_id___name__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                client_id: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TemplateOut"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (a dependency is down): retry */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    template_version_v1_import_templates__client_id___name___version__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                client_id: string;
                name: string;
                version: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TemplateOut"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (a dependency is down): retry */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    list_placements_v1_placements_get: {
        parameters: {
            query?: {
                /** @description staff only: whose placement(s) */
                client_id?: string | null;
                /** @description opaque: the `next_cursor` of the previous page */
                cursor?: string | null;
                /** @description rows per page */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlacementListOut"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request is not valid */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (a dependency is down): retry */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    post_placement_v1_placements_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description contracts.md §1; rows are judged one by one */
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Cases
                     * @description at most IntakeSettings.max_cases_per_placement (default 200,000)
                     */
                    cases: {
                        /**
                         * Account Ref
                         * @description card or account number (a string)
                         * @example 6222020200112233446
                         */
                        account_ref: string;
                        /**
                         * Addresses
                         * @default []
                         */
                        addresses?: {
                            /** City */
                            city?: string | null;
                            /** District */
                            district?: string | null;
                            /** Employer */
                            employer?: string | null;
                            /**
                             * Kind
                             * @enum {string}
                             */
                            kind: "household_registration" | "home" | "work" | "other";
                            /**
                             * Line
                             * @description a missing or over-long line is kept invalid, with a warning (R-4)
                             */
                            line: string;
                            /**
                             * Name
                             * @description whose address (a contact's name)
                             */
                            name?: string | null;
                            /**
                             * Owner
                             * @description a contact person's address: contact
                             * @default debtor
                             * @enum {string}
                             */
                            owner?: "debtor" | "contact";
                            /** Province */
                            province?: string | null;
                            /** Relationship */
                            relationship?: string | null;
                        }[];
                        /** Credit Limit */
                        credit_limit?: number | string | null;
                        /**
                         * Currency
                         * @default CNY
                         */
                        currency?: string;
                        /** DebtorIn */
                        debtor: {
                            /** Birth Date */
                            birth_date?: string | null;
                            /** Gender */
                            gender?: ("M" | "F") | null;
                            /**
                             * Id Number
                             * @description 18 characters (GB 11643) or the old 15-digit form
                             * @example 410105198703150030
                             */
                            id_number: string;
                            /**
                             * Name
                             * @example 张伟
                             */
                            name: string;
                        };
                        /**
                         * Dpd
                         * @description days past due; give dpd or overdue_since
                         */
                        dpd?: number | null;
                        /** Employer */
                        employer?: string | null;
                        /**
                         * Extra
                         * @description client-specific fields (申请号, 合同编号, ...): kept on the case, shown to collectors
                         * @example {
                         *       "申请号": "AP-20261120-0001",
                         *       "逾期金额": "13830.50"
                         *     }
                         */
                        extra?: {
                            [key: string]: string | number | boolean;
                        } | null;
                        /** Fees */
                        fees?: number | string | null;
                        /**
                         * Flags
                         * @default []
                         */
                        flags?: ("complaint_history" | "dispute" | "fraud_claim" | "stolen_card" | "do_not_contact" | "special_population")[];
                        /** Interest */
                        interest?: number | string | null;
                        last_payment?: {
                            /** Amount */
                            amount: number | string;
                            /**
                             * On
                             * Format: date
                             */
                            on: string;
                        } | null;
                        /** Overdue Since */
                        overdue_since?: string | null;
                        /**
                         * Phones
                         * @default []
                         */
                        phones?: {
                            /**
                             * Employer
                             * @description the person's employer (a contact's 工作单位)
                             */
                            employer?: string | null;
                            /**
                             * Kind
                             * @enum {string}
                             */
                            kind: "mobile" | "home" | "work" | "other";
                            /** Knows Debt */
                            knows_debt?: boolean | null;
                            /**
                             * Name
                             * @description required for a contact (else the phone is kept invalid)
                             */
                            name?: string | null;
                            /**
                             * Number
                             * @description a malformed number is kept, marked invalid, with a warning (R-4)
                             * @example 13800138000
                             * @example 0371-65432100
                             */
                            number: string;
                            /**
                             * Owner
                             * @default debtor
                             * @enum {string}
                             */
                            owner?: "debtor" | "contact";
                            /**
                             * Relationship
                             * @description required for a contact
                             * @example spouse
                             */
                            relationship?: string | null;
                        }[];
                        /**
                         * Placed Amount
                         * @description 委案金额; the stated total wins over the parts (flagged)
                         */
                        placed_amount?: number | string | null;
                        /** Principal */
                        principal?: number | string | null;
                        /**
                         * Product
                         * @description overrides the placement's product for this case
                         */
                        product?: string | null;
                        /** Remarks */
                        remarks?: string | null;
                    }[];
                    /**
                     * Placed On
                     * Format: date
                     */
                    placed_on: string;
                    /**
                     * Placement Ref
                     * @description the client's own batch reference (idempotency key, R-1)
                     * @example ZHBANK-HN-202611-001
                     */
                    placement_ref: string;
                    /**
                     * Product
                     * @example credit_card
                     */
                    product: string;
                    /**
                     * Recall On
                     * @description defaults to placed_on + 3 months
                     */
                    recall_on?: string | null;
                };
            };
        };
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlacementAccepted"];
                };
            };
            /** @description The request body is not valid JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Payload too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported media type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request is not valid */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (a dependency is down): retry */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_placement_v1_placements__placement_ref__get: {
        parameters: {
            query?: {
                /** @description staff only: whose placement(s) */
                client_id?: string | null;
                /** @description opaque: `rejected_rows.next_cursor` */
                errors_cursor?: string | null;
                errors_limit?: number;
                /** @description opaque: `warnings.next_cursor` */
                warnings_cursor?: string | null;
                warnings_limit?: number;
            };
            header?: never;
            path: {
                placement_ref: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlacementStatusOut"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request is not valid */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (a dependency is down): retry */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    get_placement_cases_v1_placements__placement_ref__cases_get: {
        parameters: {
            query?: {
                /** @description staff only: whose placement(s) */
                client_id?: string | null;
                /** @description opaque: the `next_cursor` of the previous page */
                cursor?: string | null;
                /** @description rows per page */
                limit?: number;
            };
            header?: never;
            path: {
                placement_ref: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlacementCasesOut"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request is not valid */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (a dependency is down): retry */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    post_recall_date_v1_placements__placement_ref__recall_date_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                placement_ref: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RecallDateIn"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecallDateOut"];
                };
            };
            /** @description Malformed request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Payload too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported media type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request is not valid */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (a dependency is down): retry */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    upload_placement_v1_placements_upload_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": {
                    /**
                     * Format: binary
                     * @description CSV (any common Chinese encoding) or XLSX/XLS/ODS
                     */
                    file: string;
                    /** Format: date */
                    placed_on: string;
                    placement_ref: string;
                    product: string;
                    /**
                     * Format: date
                     * @description default placed_on + 3 months
                     */
                    recall_on?: string;
                    /** @description the client's import template name */
                    template: string;
                    /** @description default: the latest version */
                    template_version?: number;
                };
            };
        };
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlacementAccepted"];
                };
            };
            /** @description The request body is not valid JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Payload too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported media type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request is not valid */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (a dependency is down): retry */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    recalls_v1_recalls_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description account_refs or placement_ref, optional reason and effective_on */
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Account Refs
                     * @description give this or placement_ref
                     */
                    account_refs?: string[] | null;
                    /** Effective On */
                    effective_on?: string | null;
                    /** Placement Ref */
                    placement_ref?: string | null;
                    /** Reason */
                    reason?: string | null;
                };
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecallOut"];
                };
            };
            /** @description The request body is not valid JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Payload too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported media type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request is not valid */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (a dependency is down): retry */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    repayments_v1_repayments_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description repayment rows, judged one by one */
        requestBody: {
            content: {
                "application/json": {
                    /** Repayments */
                    repayments: {
                        /** Account Ref */
                        account_ref: string;
                        /**
                         * Amount
                         * @description > 0, at most two decimals
                         */
                        amount: number | string;
                        /**
                         * Channel
                         * @example bank_transfer
                         */
                        channel?: string | null;
                        /**
                         * Paid At
                         * @description ISO 8601; without an offset it is Asia/Shanghai time
                         * @example 2026-11-25T10:15:00+08:00
                         */
                        paid_at: string;
                        /**
                         * Txn Ref
                         * @description the client's transaction reference (idempotency key)
                         */
                        txn_ref: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RepaymentsOut"];
                };
            };
            /** @description The request body is not valid JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Authentication required */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Payload too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported media type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request is not valid */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Temporarily unavailable (a dependency is down): retry */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
