CREATE TABLE "complaint_action_members" (
	"action_id" uuid NOT NULL,
	"complaint_id" text NOT NULL,
	CONSTRAINT "complaint_action_members_action_id_complaint_id_pk" PRIMARY KEY("action_id","complaint_id")
);
--> statement-breakpoint
ALTER TABLE "complaint_action_members" ADD CONSTRAINT "complaint_action_members_action_id_complaint_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."complaint_actions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_action_members" ADD CONSTRAINT "complaint_action_members_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "complaint_action_members_complaint_id_index" ON "complaint_action_members" USING btree ("complaint_id");