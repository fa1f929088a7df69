CREATE TABLE "district_targets" (
	"district_code" text NOT NULL,
	"date" date NOT NULL,
	"target" integer,
	"registered" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	CONSTRAINT "district_targets_district_code_date_pk" PRIMARY KEY("district_code","date")
);
--> statement-breakpoint
CREATE TABLE "dose_day_rollups" (
	"date" date NOT NULL,
	"site_code" text NOT NULL,
	"vaccine" text NOT NULL,
	"dose" smallint NOT NULL,
	"doses" integer NOT NULL,
	CONSTRAINT "dose_day_rollups_date_site_code_vaccine_dose_pk" PRIMARY KEY("date","site_code","vaccine","dose")
);
--> statement-breakpoint
CREATE TABLE "sms_day_rollups" (
	"date" date NOT NULL,
	"site_code" text NOT NULL,
	"sent" integer NOT NULL,
	"delivered" integer NOT NULL,
	CONSTRAINT "sms_day_rollups_date_site_code_pk" PRIMARY KEY("date","site_code")
);
--> statement-breakpoint
ALTER TABLE "district_targets" ADD CONSTRAINT "district_targets_district_code_districts_code_fk" FOREIGN KEY ("district_code") REFERENCES "public"."districts"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "district_targets_date_index" ON "district_targets" USING btree ("date");