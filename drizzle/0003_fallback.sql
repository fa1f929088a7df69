CREATE TABLE "alert_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"alert_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"kind" text NOT NULL,
	"actor" text NOT NULL,
	"text" text
);
--> statement-breakpoint
CREATE TABLE "backfill_rows" (
	"upload_id" uuid NOT NULL,
	"line" integer NOT NULL,
	"outcome" text NOT NULL,
	"dose_key" text,
	"dose_id" text,
	"error" text,
	"raw" text,
	CONSTRAINT "backfill_rows_upload_id_line_pk" PRIMARY KEY("upload_id","line")
);
--> statement-breakpoint
CREATE TABLE "backfill_uploads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_code" text NOT NULL,
	"district_code" text NOT NULL,
	"episode_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"filename" text,
	"rows" integer NOT NULL,
	"accepted" integer NOT NULL,
	"duplicates" integer NOT NULL,
	"rejected" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fallback_episodes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_code" text NOT NULL,
	"district_code" text NOT NULL,
	"stage" text NOT NULL,
	"manual_at" timestamp with time zone NOT NULL,
	"manual_by" text NOT NULL,
	"reason_code" text NOT NULL,
	"reason" text NOT NULL,
	"periods" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"online_at" timestamp with time zone,
	"online_by" text,
	"register_count" integer,
	"reconciled_at" timestamp with time zone,
	"reconciled_by" text
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"site_code" text NOT NULL,
	"district_code" text NOT NULL,
	"kind" text NOT NULL,
	"body" text NOT NULL,
	"payload" jsonb NOT NULL,
	"channel" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_attempt_at" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"error" text
);
--> statement-breakpoint
ALTER TABLE "backfill_uploads" ADD CONSTRAINT "backfill_uploads_site_code_sites_code_fk" FOREIGN KEY ("site_code") REFERENCES "public"."sites"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fallback_episodes" ADD CONSTRAINT "fallback_episodes_site_code_sites_code_fk" FOREIGN KEY ("site_code") REFERENCES "public"."sites"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_events_alert_id_at_index" ON "alert_events" USING btree ("alert_id","at");--> statement-breakpoint
CREATE INDEX "backfill_uploads_site_code_at_index" ON "backfill_uploads" USING btree ("site_code","at");--> statement-breakpoint
CREATE INDEX "backfill_uploads_episode_id_index" ON "backfill_uploads" USING btree ("episode_id");--> statement-breakpoint
CREATE UNIQUE INDEX "fallback_episodes_one_open" ON "fallback_episodes" USING btree ("site_code") WHERE "fallback_episodes"."stage" <> 'reconciled';--> statement-breakpoint
CREATE INDEX "fallback_episodes_district_code_stage_index" ON "fallback_episodes" USING btree ("district_code","stage");--> statement-breakpoint
CREATE INDEX "fallback_episodes_site_code_manual_at_index" ON "fallback_episodes" USING btree ("site_code","manual_at");--> statement-breakpoint
CREATE INDEX "notifications_status_last_attempt_at_index" ON "notifications" USING btree ("status","last_attempt_at");--> statement-breakpoint
CREATE INDEX "notifications_site_code_created_at_index" ON "notifications" USING btree ("site_code","created_at");--> statement-breakpoint
CREATE INDEX "dose_events_beneficiary_ref_index" ON "dose_events" USING btree ("beneficiary_ref");