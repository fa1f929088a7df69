CREATE TABLE "districts" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"state" text NOT NULL,
	"population" integer,
	"hq_lat" double precision,
	"hq_lon" double precision,
	"geometry" jsonb,
	"approximate" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"site_code" text NOT NULL,
	"date" date NOT NULL,
	"capacity" integer NOT NULL,
	"vaccine" text,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sites" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"district_code" text NOT NULL,
	"lat" double precision,
	"lon" double precision,
	"pincode" text,
	"mode" text DEFAULT 'online' NOT NULL,
	"mode_changed_at" timestamp with time zone,
	"last_heartbeat_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dose_events" (
	"id" text PRIMARY KEY NOT NULL,
	"site_code" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"vaccine" text NOT NULL,
	"dose" smallint,
	"beneficiary_ref" text NOT NULL,
	"vaccinator_ref" text,
	"session_id" text,
	"source" text DEFAULT 'live' NOT NULL,
	"status" text DEFAULT 'completed' NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dose_rollups" (
	"site_code" text NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"doses" integer NOT NULL,
	CONSTRAINT "dose_rollups_site_code_minute_pk" PRIMARY KEY("site_code","minute")
);
--> statement-breakpoint
CREATE TABLE "sms_messages" (
	"message_id" text PRIMARY KEY NOT NULL,
	"beneficiary_ref" text NOT NULL,
	"site_code" text NOT NULL,
	"kind" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"phone" text,
	"session_date" date,
	"provider" text,
	"status" text DEFAULT 'queued' NOT NULL,
	"status_at" timestamp with time zone,
	"error_code" text,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "sms_reports" (
	"message_id" text NOT NULL,
	"status" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"error_code" text,
	"reason" text,
	"provider" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sms_reports_message_id_status_at_pk" PRIMARY KEY("message_id","status","at")
);
--> statement-breakpoint
CREATE TABLE "appointments" (
	"beneficiary_ref" text NOT NULL,
	"site_code" text NOT NULL,
	"date" date NOT NULL,
	"slot" text,
	"name" text,
	"phone" text,
	CONSTRAINT "appointments_beneficiary_ref_site_code_date_pk" PRIMARY KEY("beneficiary_ref","site_code","date")
);
--> statement-breakpoint
CREATE TABLE "health_samples" (
	"target" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"ok" boolean NOT NULL,
	"latency_ms" integer,
	"detail" text,
	CONSTRAINT "health_samples_target_at_pk" PRIMARY KEY("target","at")
);
--> statement-breakpoint
CREATE TABLE "heartbeats" (
	"site_code" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"device" text DEFAULT '' NOT NULL,
	"pending_uploads" integer,
	CONSTRAINT "heartbeats_site_code_device_at_pk" PRIMARY KEY("site_code","device","at")
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"district_code" text,
	"site_code" text,
	"parent_id" uuid,
	"summary" text NOT NULL,
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE "app_meta" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"target" text,
	"detail" jsonb,
	"ip" text
);
--> statement-breakpoint
CREATE TABLE "quarantine" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"feed" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"error" text NOT NULL,
	"item" jsonb NOT NULL,
	"replayed_at" timestamp with time zone,
	"replay_attempts" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"scopes" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_tokenHash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "user_sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"ip" text,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"username" text NOT NULL,
	"display_name" text,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"districts" text[] DEFAULT '{}' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disabled_at" timestamp with time zone,
	"failed_logins" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	CONSTRAINT "users_username_unique" UNIQUE("username")
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_site_code_sites_code_fk" FOREIGN KEY ("site_code") REFERENCES "public"."sites"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sites" ADD CONSTRAINT "sites_district_code_districts_code_fk" FOREIGN KEY ("district_code") REFERENCES "public"."districts"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_sessions" ADD CONSTRAINT "user_sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sessions_date_site_code_index" ON "sessions" USING btree ("date","site_code");--> statement-breakpoint
CREATE INDEX "sites_district_code_index" ON "sites" USING btree ("district_code");--> statement-breakpoint
CREATE INDEX "dose_events_site_code_occurred_at_index" ON "dose_events" USING btree ("site_code","occurred_at");--> statement-breakpoint
CREATE INDEX "dose_events_occurred_at_index" ON "dose_events" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "dose_rollups_minute_index" ON "dose_rollups" USING btree ("minute");--> statement-breakpoint
CREATE INDEX "sms_messages_site_code_sent_at_index" ON "sms_messages" USING btree ("site_code","sent_at");--> statement-breakpoint
CREATE INDEX "sms_messages_sent_at_index" ON "sms_messages" USING btree ("sent_at");--> statement-breakpoint
CREATE INDEX "appointments_site_code_date_index" ON "appointments" USING btree ("site_code","date");--> statement-breakpoint
CREATE INDEX "health_samples_at_index" ON "health_samples" USING btree ("at");--> statement-breakpoint
CREATE INDEX "heartbeats_at_index" ON "heartbeats" USING btree ("at");--> statement-breakpoint
CREATE INDEX "alerts_status_index" ON "alerts" USING btree ("status");--> statement-breakpoint
CREATE INDEX "alerts_site_code_index" ON "alerts" USING btree ("site_code");--> statement-breakpoint
CREATE INDEX "audit_log_at_index" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_action_index" ON "audit_log" USING btree ("action");--> statement-breakpoint
CREATE INDEX "quarantine_feed_replayed_at_index" ON "quarantine" USING btree ("feed","replayed_at");--> statement-breakpoint
CREATE INDEX "user_sessions_user_id_index" ON "user_sessions" USING btree ("user_id");