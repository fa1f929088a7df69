CREATE TABLE "call_marks" (
	"site_code" text NOT NULL,
	"date" date NOT NULL,
	"beneficiary_ref" text NOT NULL,
	"outcome" text NOT NULL,
	"marked_by" text NOT NULL,
	"marked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "call_marks_site_code_date_beneficiary_ref_pk" PRIMARY KEY("site_code","date","beneficiary_ref")
);
--> statement-breakpoint
CREATE TABLE "sms_outcome_buckets" (
	"bucket" timestamp with time zone NOT NULL,
	"district_code" text NOT NULL,
	"outcome" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"messages" integer NOT NULL,
	CONSTRAINT "sms_outcome_buckets_bucket_district_code_outcome_reason_pk" PRIMARY KEY("bucket","district_code","outcome","reason")
);
--> statement-breakpoint
CREATE TABLE "sms_pending_minutes" (
	"minute" timestamp with time zone NOT NULL,
	"site_code" text NOT NULL,
	"messages" integer NOT NULL,
	CONSTRAINT "sms_pending_minutes_minute_site_code_pk" PRIMARY KEY("minute","site_code")
);
--> statement-breakpoint
CREATE TABLE "sms_site_days" (
	"day" date NOT NULL,
	"site_code" text NOT NULL,
	"outcome" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"messages" integer NOT NULL,
	CONSTRAINT "sms_site_days_day_site_code_outcome_reason_pk" PRIMARY KEY("day","site_code","outcome","reason")
);
--> statement-breakpoint
ALTER TABLE "sms_messages" ADD COLUMN "reason_group" text;--> statement-breakpoint
ALTER TABLE "sms_messages" ADD COLUMN "resend_of" text;--> statement-breakpoint
ALTER TABLE "sms_reports" ADD COLUMN "reason_group" text;--> statement-breakpoint
CREATE INDEX "call_marks_marked_at_index" ON "call_marks" USING btree ("marked_at");--> statement-breakpoint
CREATE INDEX "sms_messages_site_code_session_date_index" ON "sms_messages" USING btree ("site_code","session_date");--> statement-breakpoint
CREATE INDEX "sms_messages_resend_of_index" ON "sms_messages" USING btree ("resend_of");