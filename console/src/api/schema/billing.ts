// Generated from the billing service's OpenAPI by `recoup console api-types`. Do not edit.
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
    "/v1/exclusions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recorded exclusions */
        get: operations["list_exclusions_v1_exclusions_get"];
        put?: never;
        /** Record a case's proven death or conviction, with evidence */
        post: operations["post_exclusion_v1_exclusions_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/fee-schedules/{client_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The schedule in force today and every version */
        get: operations["get_schedules_v1_fee_schedules__client_id__get"];
        /** Create a new fee schedule version (validated by the R-39..R-41 rules) */
        put: operations["put_schedule_v1_fee_schedules__client_id__put"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/performance/{month}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recovered amount, calls, effective contacts, PTPs and PTP-kept rate per collector */
        get: operations["performance_v1_performance__month__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/recovery-rates/{client_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recovery rate per bucket for a month (and the months before), with the formula and inputs */
        get: operations["recovery_rates_v1_recovery_rates__client_id__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/statements/{client_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Issued statements of a client */
        get: operations["list_statements_v1_statements__client_id__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/statements/{client_id}/{month}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The month's statement: the issued revision, else a draft computed now */
        get: operations["get_statement_v1_statements__client_id___month__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/statements/{client_id}/{month}/export.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The statement as CSV (one row per line + total) */
        get: operations["export_csv_v1_statements__client_id___month__export_csv_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/statements/{client_id}/{month}/export.pdf": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The statement as a print-ready PDF (服务费结算单) */
        get: operations["export_pdf_v1_statements__client_id___month__export_pdf_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/statements/{client_id}/{month}/export.xlsx": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The statement as an XLSX workbook */
        get: operations["export_xlsx_v1_statements__client_id___month__export_xlsx_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/statements/{client_id}/{month}/issue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Issue (freeze) the statement as revision 1; a second issue is a 409 */
        post: operations["issue_statement_v1_statements__client_id___month__issue_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/statements/{client_id}/{month}/lines/{bucket}/cases": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The cases and repayments behind one line (bucket name or position), paged */
        get: operations["line_cases_v1_statements__client_id___month__lines__bucket__cases_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/statements/{client_id}/{month}/not-counted": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Repayments of the month that were not counted, with the reason, paged */
        get: operations["not_counted_v1_statements__client_id___month__not_counted_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/statements/{client_id}/{month}/reissue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Re-issue with a reason: revision n+1; the old revision stays readable */
        post: operations["reissue_statement_v1_statements__client_id___month__reissue_post"];
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
        /** BucketIn */
        BucketIn: {
            /**
             * Base Rate
             * @description fee rate as a fraction, e.g. 0.18 for 18% (R-39)
             */
            base_rate: number | string;
            /**
             * Benchmark Rate
             * @description benchmark recovery rate, e.g. 0.65
             */
            benchmark_rate: number | string;
            /**
             * Dpd Max
             * @description null = open-ended (last bucket)
             */
            dpd_max?: number | null;
            /** Dpd Min */
            dpd_min: number;
            /**
             * Minimum Rate
             * @description minimum standard, e.g. 0.30
             */
            minimum_rate: number | string;
            /**
             * Name
             * @description default: '<dpd_min>-<dpd_max>', or '>=<dpd_min>' for the last
             * @example 91-180
             */
            name?: string | null;
            /**
             * Reduction Pct
             * @description this bucket's reduction; null = the schedule's
             */
            reduction_pct?: number | string | null;
        };
        /** BucketOut */
        BucketOut: {
            /** Base Rate */
            base_rate: string;
            /** Benchmark Rate */
            benchmark_rate: string;
            /** Dpd Max */
            dpd_max: number | null;
            /** Dpd Min */
            dpd_min: number;
            /** Minimum Rate */
            minimum_rate: string;
            /** Name */
            name: string;
            /** Reduced Rate */
            reduced_rate: string;
            /** Reduction Pct */
            reduction_pct: string | null;
        };
        /** CollectorDayOut */
        CollectorDayOut: {
            /** Calls */
            calls: number;
            /** Contacts */
            contacts: number;
            /**
             * Day
             * Format: date
             */
            day: string;
            /** Effective Contacts */
            effective_contacts: number;
            /** Ptps Made */
            ptps_made: number;
        };
        /** CollectorPerformanceOut */
        CollectorPerformanceOut: {
            /** Active Days */
            active_days: number;
            /** Calls */
            calls: number;
            /** Cases With Repayments */
            cases_with_repayments: number;
            /** Collector Id */
            collector_id: string;
            /** Contacts */
            contacts: number;
            /** Daily */
            daily?: components["schemas"]["CollectorDayOut"][] | null;
            /** Effective Contacts */
            effective_contacts: number;
            /** Ptp Kept Rate */
            ptp_kept_rate: string | null;
            /** Ptp Kept Rate Pct */
            ptp_kept_rate_pct: string;
            /** Ptps Decided */
            ptps_decided: number;
            /** Ptps Kept */
            ptps_kept: number;
            /** Ptps Made */
            ptps_made: number;
            /** Recovered */
            recovered: string;
            /** Repayments */
            repayments: number;
            /** Team Id */
            team_id: string | null;
        };
        /** CycleOut */
        CycleOut: {
            /** Definition */
            definition: string;
            /**
             * Month End
             * Format: date
             * @description inclusive
             */
            month_end: string;
            /**
             * Month Start
             * Format: date
             */
            month_start: string;
            /**
             * Window End
             * Format: date
             * @description inclusive
             */
            window_end: string;
            /**
             * Window Start
             * Format: date
             */
            window_start: string;
        };
        /** DrillCaseOut */
        DrillCaseOut: {
            /**
             * Case Id
             * Format: uuid
             */
            case_id: string;
            /**
             * End On
             * Format: date
             */
            end_on: string;
            /** Excluded */
            excluded: boolean;
            /** In Cohort */
            in_cohort: boolean;
            /** Placed */
            placed: string;
            /**
             * Placed On
             * Format: date
             */
            placed_on: string;
            /** Placement Id */
            placement_id: string;
            /** Recovered In Cycle */
            recovered_in_cycle: string;
            /** Recovered In Month */
            recovered_in_month: string;
            /** Repayments */
            repayments: components["schemas"]["DrillRepaymentOut"][];
        };
        /** DrillDownOut */
        DrillDownOut: {
            /** Bucket */
            bucket: string;
            /** Cases */
            cases: components["schemas"]["DrillCaseOut"][];
            /** Client Id */
            client_id: string;
            /** Limit */
            limit: number;
            /** Month */
            month: string;
            /**
             * Next Cursor
             * @description pass as `cursor` for the next page
             */
            next_cursor?: string | null;
            /** Revision */
            revision: number | null;
            /** Status */
            status: string;
            /** @description over the whole line (every page); equals the line's figures */
            sums: components["schemas"]["DrillSumsOut"];
            /** Total */
            total: number;
        };
        /** DrillRepaymentOut */
        DrillRepaymentOut: {
            /** Amount */
            amount: string;
            /** Channel */
            channel: string | null;
            /** Counted In Cycle */
            counted_in_cycle: boolean;
            /** Counted In Month */
            counted_in_month: boolean;
            /**
             * Paid At
             * Format: date-time
             */
            paid_at: string;
            /**
             * Paid On
             * Format: date
             */
            paid_on: string;
            /** Txn Ref */
            txn_ref: string;
        };
        /** DrillSumsOut */
        DrillSumsOut: {
            /** Cases */
            cases: number;
            /** Excluded Placed */
            excluded_placed: string;
            /** Placed */
            placed: string;
            /** Recovered */
            recovered: string;
            /** Recovered In Cycle */
            recovered_in_cycle: string;
        };
        /** ExclusionIn */
        ExclusionIn: {
            /**
             * Case Id
             * Format: uuid
             */
            case_id: string;
            /** Evidence Ref */
            evidence_ref: string;
            /** Evidence Sha256 */
            evidence_sha256: string;
            /**
             * Kind
             * @enum {string}
             */
            kind: "death" | "conviction";
            /** Note */
            note?: string | null;
            /**
             * Placement Id
             * @description default: the case's latest placement
             */
            placement_id?: string | null;
        };
        /** ExclusionListOut */
        ExclusionListOut: {
            /** Exclusions */
            exclusions: components["schemas"]["ExclusionOut"][];
            /**
             * Next Cursor
             * @description pass as `cursor` for the next page
             */
            next_cursor?: string | null;
            /** Total */
            total: number;
        };
        /** ExclusionOut */
        ExclusionOut: {
            /**
             * Case Id
             * Format: uuid
             */
            case_id: string;
            /** Client Id */
            client_id: string;
            /** Evidence Ref */
            evidence_ref: string;
            /** Evidence Sha256 */
            evidence_sha256: string;
            /** Id */
            id: number;
            /**
             * Issued Revision Affected
             * @description that month's issued revision, if any: re-issue it to apply the exclusion
             */
            issued_revision_affected?: number | null;
            /** Kind */
            kind: string;
            /** Note */
            note: string | null;
            /** Placed Amount */
            placed_amount: string;
            /**
             * Placed On
             * Format: date
             */
            placed_on: string;
            /** Placement Id */
            placement_id: string;
            /**
             * Recorded At
             * Format: date-time
             */
            recorded_at: string;
            /** Recorded By */
            recorded_by: string;
            /**
             * Takes Effect In
             * @description first statement month whose denominator it reduces
             */
            takes_effect_in: string;
        };
        /** FeeScheduleIn */
        FeeScheduleIn: {
            /** Buckets */
            buckets: components["schemas"]["BucketIn"][];
            /**
             * Consecutive Months To Zero
             * @description R-41
             * @default 3
             */
            consecutive_months_to_zero?: number;
            /**
             * Cycle Months
             * @description R-40 collection cycle
             * @default 3
             */
            cycle_months?: number;
            /**
             * Effective From
             * Format: date
             * @description a month is billed under the version in force on its first day
             */
            effective_from: string;
            /** Note */
            note?: string | null;
            /**
             * Reduction Mode
             * @default relative
             * @enum {string}
             */
            reduction_mode?: "relative" | "absolute";
            /**
             * Reduction Pct
             * @description R-40 reduction below benchmark, e.g. 0.20
             */
            reduction_pct: number | string;
            /**
             * Rounding
             * @description decimal rounding mode of fees to 0.01 CNY
             * @default ROUND_HALF_UP
             */
            rounding?: string;
        };
        /** FeeScheduleOut */
        FeeScheduleOut: {
            /** Buckets */
            buckets: components["schemas"]["BucketOut"][];
            /** Client Id */
            client_id: string;
            /** Consecutive Months To Zero */
            consecutive_months_to_zero: number;
            /** Created At */
            created_at?: string | null;
            /** Created By */
            created_by?: string | null;
            /** Cycle Months */
            cycle_months: number;
            /**
             * Effective From
             * Format: date
             */
            effective_from: string;
            /** Note */
            note?: string | null;
            /** Reduction Mode */
            reduction_mode: string;
            /** Reduction Pct */
            reduction_pct: string;
            /** Rounding */
            rounding: string;
            /** Version */
            version: number;
        };
        /** FeeSchedulesOut */
        FeeSchedulesOut: {
            /** Client Id */
            client_id: string;
            /** @description the version in force today (business date) */
            current: components["schemas"]["FeeScheduleOut"] | null;
            /**
             * Default Fallback
             * @description whether statements fall back to the built-in default schedule
             */
            default_fallback: boolean;
            /**
             * Versions
             * @description every version, newest first
             */
            versions: components["schemas"]["FeeScheduleOut"][];
        };
        /** HistoryBucketOut */
        HistoryBucketOut: {
            /** Below Minimum */
            below_minimum: boolean;
            /** Bucket */
            bucket: string;
            /** Minimum */
            minimum: string | null;
            /** Placed */
            placed?: string | null;
            /** Recovered In Cycle */
            recovered_in_cycle?: string | null;
            /** Recovery Rate */
            recovery_rate: string | null;
        };
        /** HistoryMonthOut */
        HistoryMonthOut: {
            /** Buckets */
            buckets: components["schemas"]["HistoryBucketOut"][];
            /** Month */
            month: string;
            /** Schedule Version */
            schedule_version: number | null;
            /**
             * Source
             * @description 'issued rN' (frozen), 'computed' or 'no schedule in force'
             */
            source: string;
        };
        /** LineOut */
        LineOut: {
            /** Base Rate */
            base_rate: string;
            /** Benchmark */
            benchmark: string;
            /** Bucket */
            bucket: string;
            /**
             * Cases
             * @description spells in the cohort (placed in the cycle window)
             */
            cases: number;
            /** Dpd Max */
            dpd_max: number | null;
            /** Dpd Min */
            dpd_min: number;
            /** Excluded Placed */
            excluded_placed: string;
            /** Explanation */
            explanation: string;
            /** Fee */
            fee: string;
            /** Fee Rate */
            fee_rate: string;
            /** Fee Rate Pct */
            fee_rate_pct: string;
            /** Formula */
            formula: string;
            /** Minimum */
            minimum: string;
            /** Months Below Minimum */
            months_below_minimum: number;
            /** Months Below Minimum Before */
            months_below_minimum_before: number;
            /**
             * Placed
             * @description denominator: placed after R-42 exclusions
             */
            placed: string;
            /** Placed Before Exclusions */
            placed_before_exclusions: string;
            /** Position */
            position: number;
            /**
             * Recovered
             * @description fee base: counted repayments received in the month
             */
            recovered: string;
            /**
             * Recovered In Cycle
             * @description numerator: cohort repayments in the cycle
             */
            recovered_in_cycle: string;
            /** Recovery Rate */
            recovery_rate: string | null;
            /** Recovery Rate Pct */
            recovery_rate_pct: string;
            /**
             * Repayments
             * @description counted repayments in the cycle window by the cohort
             */
            repayments: number;
            /** Tier */
            tier: string;
        };
        /** NotCountedOut */
        NotCountedOut: {
            /** Amount */
            amount: string;
            /** By Reason */
            by_reason: components["schemas"]["NotCountedReasonOut"][];
            /** Count */
            count: number;
            /** Rule */
            rule: string;
            /** Sample */
            sample: components["schemas"]["NotCountedRepaymentOut"][];
        };
        /** NotCountedPageOut */
        NotCountedPageOut: {
            /** By Reason */
            by_reason: components["schemas"]["NotCountedReasonOut"][];
            /** Client Id */
            client_id: string;
            /** Limit */
            limit: number;
            /** Month */
            month: string;
            /**
             * Next Cursor
             * @description pass as `cursor` for the next page
             */
            next_cursor?: string | null;
            /** Repayments */
            repayments: components["schemas"]["NotCountedRepaymentOut"][];
            /** Revision */
            revision: number | null;
            /** Status */
            status: string;
            /** Total */
            total: number;
        };
        /** NotCountedReasonOut */
        NotCountedReasonOut: {
            /** Amount */
            amount: string;
            /** Count */
            count: number;
            /** Description */
            description: string;
            /** Reason */
            reason: string;
        };
        /** NotCountedRepaymentOut */
        NotCountedRepaymentOut: {
            /** Amount */
            amount: string;
            /**
             * Case Id
             * Format: uuid
             */
            case_id: string;
            /**
             * Paid On
             * Format: date
             */
            paid_on: string;
            /** Reason */
            reason: string;
            /** Txn Ref */
            txn_ref: string;
        };
        /** PerformanceOut */
        PerformanceOut: {
            /** Client Id */
            client_id: string | null;
            /** Collectors */
            collectors: components["schemas"]["CollectorPerformanceOut"][];
            /** Definitions */
            definitions: {
                [key: string]: string;
            };
            /** Month */
            month: string;
            /** Team Id */
            team_id: string | null;
            /** Total Recovered */
            total_recovered: string;
            /** Unattributed */
            unattributed: string;
            /** Unattributed Repayments */
            unattributed_repayments: number;
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
        /** RateBucketOut */
        RateBucketOut: {
            /** Benchmark */
            benchmark: string;
            /** Bucket */
            bucket: string;
            /** Cases */
            cases: number;
            /** Dpd Max */
            dpd_max: number | null;
            /** Dpd Min */
            dpd_min: number;
            /** Excluded Placed */
            excluded_placed: string;
            /** Formula */
            formula: string;
            /** Minimum */
            minimum: string;
            /** Placed */
            placed: string;
            /** Placed Before Exclusions */
            placed_before_exclusions: string;
            /** Recovered In Cycle */
            recovered_in_cycle: string;
            /** Recovery Rate */
            recovery_rate: string | null;
            /** Recovery Rate Pct */
            recovery_rate_pct: string;
            /** Repayments */
            repayments: number;
        };
        /** RateMonthOut */
        RateMonthOut: {
            /** Buckets */
            buckets: components["schemas"]["RateBucketOut"][];
            cycle: components["schemas"]["CycleOut"];
            /** Month */
            month: string;
            /** Schedule Source */
            schedule_source: string;
            /** Schedule Version */
            schedule_version: number;
            total: components["schemas"]["RateBucketOut"];
        };
        /** RecoveryRatesOut */
        RecoveryRatesOut: {
            /** Client Id */
            client_id: string;
            /** Formula */
            formula: string;
            /** Months */
            months: components["schemas"]["RateMonthOut"][];
        };
        /** ReissueIn */
        ReissueIn: {
            /** Reason */
            reason: string;
        };
        /** ScheduleRef */
        ScheduleRef: {
            /** Consecutive Months To Zero */
            consecutive_months_to_zero: number;
            /** Cycle Months */
            cycle_months: number;
            /**
             * Effective From
             * Format: date
             */
            effective_from: string;
            /** Reduction Mode */
            reduction_mode: string;
            /** Reduction Pct */
            reduction_pct: string;
            /** Rounding */
            rounding: string;
            /**
             * Source
             * @enum {string}
             */
            source: "configured" | "default";
            /** Version */
            version: number;
        };
        /** StatementListOut */
        StatementListOut: {
            /** Client Id */
            client_id: string;
            /**
             * Next Cursor
             * @description pass as `cursor` for the next page
             */
            next_cursor?: string | null;
            /**
             * Statements
             * @description newest month and revision first
             */
            statements: components["schemas"]["StatementSummaryOut"][];
        };
        /** StatementOut */
        StatementOut: {
            /** Below Minimum History */
            below_minimum_history: components["schemas"]["HistoryMonthOut"][];
            /** Client Id */
            client_id: string;
            /**
             * Computed At
             * Format: date-time
             */
            computed_at: string;
            cycle: components["schemas"]["CycleOut"];
            /** Issued At */
            issued_at?: string | null;
            /** Issued By */
            issued_by?: string | null;
            /** Latest Revision */
            latest_revision: number | null;
            /** Lines */
            lines: components["schemas"]["LineOut"][];
            /** Month */
            month: string;
            not_counted: components["schemas"]["NotCountedOut"];
            /** Reason */
            reason?: string | null;
            /**
             * Revision
             * @description null for a draft
             */
            revision: number | null;
            schedule: components["schemas"]["ScheduleRef"];
            /**
             * Status
             * @enum {string}
             */
            status: "draft" | "issued" | "superseded";
            /** Superseded At */
            superseded_at?: string | null;
            totals: components["schemas"]["TotalsOut"];
        };
        /** StatementSummaryOut */
        StatementSummaryOut: {
            /**
             * Issued At
             * Format: date-time
             */
            issued_at: string;
            /** Issued By */
            issued_by: string;
            /** Month */
            month: string;
            /** Reason */
            reason: string | null;
            /** Revision */
            revision: number;
            /** Schedule Version */
            schedule_version: number;
            /** Status */
            status: string;
            /** Superseded At */
            superseded_at: string | null;
            /** Total Fee */
            total_fee: string;
            /** Total Placed */
            total_placed: string;
            /** Total Recovered */
            total_recovered: string;
        };
        /** TotalsOut */
        TotalsOut: {
            /** Cases */
            cases: number;
            /** Excluded Placed */
            excluded_placed: string;
            /** Fee */
            fee: string;
            /** Placed */
            placed: string;
            /** Placed Before Exclusions */
            placed_before_exclusions: string;
            /** Recovered */
            recovered: string;
            /** Recovered In Cycle */
            recovered_in_cycle: string;
            /** Recovery Rate */
            recovery_rate: string | null;
            /** Recovery Rate Pct */
            recovery_rate_pct: string;
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
    list_exclusions_v1_exclusions_get: {
        parameters: {
            query?: {
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
                    "application/json": components["schemas"]["ExclusionListOut"];
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
    post_exclusion_v1_exclusions_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ExclusionIn"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExclusionOut"];
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
    get_schedules_v1_fee_schedules__client_id__get: {
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
                    "application/json": components["schemas"]["FeeSchedulesOut"];
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
    put_schedule_v1_fee_schedules__client_id__put: {
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
                "application/json": components["schemas"]["FeeScheduleIn"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FeeScheduleOut"];
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
    performance_v1_performance__month__get: {
        parameters: {
            query?: {
                by_day?: boolean;
                client_id?: string | null;
                team_id?: string | null;
            };
            header?: never;
            path: {
                /** @description YYYY-MM */
                month: string;
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
                    "application/json": components["schemas"]["PerformanceOut"];
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
    recovery_rates_v1_recovery_rates__client_id__get: {
        parameters: {
            query: {
                /** @description also the N months before */
                history?: number;
                /** @description YYYY-MM */
                month: string;
            };
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
                    "application/json": components["schemas"]["RecoveryRatesOut"];
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
    list_statements_v1_statements__client_id__get: {
        parameters: {
            query?: {
                /** @description opaque: the `next_cursor` of the previous page */
                cursor?: string | null;
                /** @description rows per page */
                limit?: number;
            };
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
                    "application/json": components["schemas"]["StatementListOut"];
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
    get_statement_v1_statements__client_id___month__get: {
        parameters: {
            query?: {
                /** @description an issued revision; default: the current one */
                revision?: number | null;
            };
            header?: never;
            path: {
                client_id: string;
                /** @description YYYY-MM */
                month: string;
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
                    "application/json": components["schemas"]["StatementOut"];
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
    export_csv_v1_statements__client_id___month__export_csv_get: {
        parameters: {
            query?: {
                /** @description an issued revision; default: the current one */
                revision?: number | null;
            };
            header?: never;
            path: {
                client_id: string;
                /** @description YYYY-MM */
                month: string;
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
                    "application/json": unknown;
                    "text/csv": unknown;
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
    export_pdf_v1_statements__client_id___month__export_pdf_get: {
        parameters: {
            query?: {
                /** @description an issued revision; default: the current one */
                revision?: number | null;
            };
            header?: never;
            path: {
                client_id: string;
                /** @description YYYY-MM */
                month: string;
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
                    "application/json": unknown;
                    "application/pdf": unknown;
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
    export_xlsx_v1_statements__client_id___month__export_xlsx_get: {
        parameters: {
            query?: {
                /** @description an issued revision; default: the current one */
                revision?: number | null;
            };
            header?: never;
            path: {
                client_id: string;
                /** @description YYYY-MM */
                month: string;
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
                    "application/json": unknown;
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": unknown;
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
    issue_statement_v1_statements__client_id___month__issue_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                client_id: string;
                /** @description YYYY-MM */
                month: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StatementOut"];
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
    line_cases_v1_statements__client_id___month__lines__bucket__cases_get: {
        parameters: {
            query?: {
                /** @description opaque: the `next_cursor` of the previous page */
                cursor?: string | null;
                /** @description rows per page */
                limit?: number;
                /** @description an issued revision; default: the current one */
                revision?: number | null;
            };
            header?: never;
            path: {
                /** @description a bucket name, or its position 1..n */
                bucket: string;
                client_id: string;
                /** @description YYYY-MM */
                month: string;
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
                    "application/json": components["schemas"]["DrillDownOut"];
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
    not_counted_v1_statements__client_id___month__not_counted_get: {
        parameters: {
            query?: {
                /** @description opaque: the `next_cursor` of the previous page */
                cursor?: string | null;
                /** @description rows per page */
                limit?: number;
                /** @description an issued revision; default: the current one */
                revision?: number | null;
            };
            header?: never;
            path: {
                client_id: string;
                /** @description YYYY-MM */
                month: string;
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
                    "application/json": components["schemas"]["NotCountedPageOut"];
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
    reissue_statement_v1_statements__client_id___month__reissue_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                client_id: string;
                /** @description YYYY-MM */
                month: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReissueIn"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StatementOut"];
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
}
