CREATE TABLE "sms_pending_by_district" (
	"minute" timestamp with time zone NOT NULL,
	"district_code" text NOT NULL,
	"messages" integer NOT NULL,
	CONSTRAINT "sms_pending_by_district_minute_district_code_pk" PRIMARY KEY("minute","district_code")
);
--> statement-breakpoint
DROP TABLE "sms_pending_minutes" CASCADE;