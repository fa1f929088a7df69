CREATE TABLE "health_samples_5m" (
	"target" text NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"samples" integer NOT NULL,
	"failures" integer NOT NULL,
	"latency_p50_ms" integer,
	"latency_p95_ms" integer,
	"latency_max_ms" integer,
	CONSTRAINT "health_samples_5m_target_bucket_pk" PRIMARY KEY("target","bucket")
);
--> statement-breakpoint
CREATE TABLE "probe_targets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"target" text NOT NULL,
	"url" text NOT NULL,
	"method" text DEFAULT 'GET' NOT NULL,
	"expect_status" integer DEFAULT 200 NOT NULL,
	"expect_body" text,
	"timeout_ms" integer DEFAULT 5000 NOT NULL,
	"interval_seconds" integer DEFAULT 30 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	CONSTRAINT "probe_targets_target_unique" UNIQUE("target")
);
--> statement-breakpoint
CREATE TABLE "status_notices" (
	"component" text PRIMARY KEY NOT NULL,
	"label" text NOT NULL,
	"targets" text[] DEFAULT '{}'::text[] NOT NULL,
	"instruction" text NOT NULL,
	"message" text,
	"override" text,
	"position" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text
);
