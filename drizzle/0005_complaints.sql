CREATE TABLE "complaint_actions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"complaint_id" text NOT NULL,
	"incident_id" uuid,
	"kind" text NOT NULL,
	"site_code" text,
	"district_code" text,
	"note" text,
	"requested_by" text NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"seen_status" text DEFAULT 'open' NOT NULL,
	"settled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "complaint_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"complaint_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"kind" text NOT NULL,
	"from_status" text,
	"to_status" text,
	"note" text,
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE "complaint_incidents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "complaints" (
	"id" text PRIMARY KEY NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"channel" text NOT NULL,
	"category" text NOT NULL,
	"site_code" text,
	"district_code" text,
	"caller_phone" text,
	"notes" text,
	"priority" text NOT NULL,
	"status" text DEFAULT 'new' NOT NULL,
	"assignee" text,
	"sla_due_at" timestamp with time zone NOT NULL,
	"incident_id" uuid,
	"resolved_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "complaint_actions" ADD CONSTRAINT "complaint_actions_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_actions" ADD CONSTRAINT "complaint_actions_incident_id_complaint_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."complaint_incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_events" ADD CONSTRAINT "complaint_events_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_site_code_sites_code_fk" FOREIGN KEY ("site_code") REFERENCES "public"."sites"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_district_code_districts_code_fk" FOREIGN KEY ("district_code") REFERENCES "public"."districts"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_incident_id_complaint_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."complaint_incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "complaint_actions_settled_at_index" ON "complaint_actions" USING btree ("settled_at");--> statement-breakpoint
CREATE INDEX "complaint_actions_complaint_id_index" ON "complaint_actions" USING btree ("complaint_id");--> statement-breakpoint
CREATE INDEX "complaint_actions_incident_id_index" ON "complaint_actions" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "complaint_events_complaint_id_at_index" ON "complaint_events" USING btree ("complaint_id","at");--> statement-breakpoint
CREATE INDEX "complaints_status_sla_due_at_index" ON "complaints" USING btree ("status","sla_due_at");--> statement-breakpoint
CREATE INDEX "complaints_district_code_opened_at_index" ON "complaints" USING btree ("district_code","opened_at");--> statement-breakpoint
CREATE INDEX "complaints_category_opened_at_index" ON "complaints" USING btree ("category","opened_at");--> statement-breakpoint
CREATE INDEX "complaints_site_code_index" ON "complaints" USING btree ("site_code");--> statement-breakpoint
CREATE INDEX "complaints_incident_id_index" ON "complaints" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "complaints_resolved_at_index" ON "complaints" USING btree ("resolved_at");