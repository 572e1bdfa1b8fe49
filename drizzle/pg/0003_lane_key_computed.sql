ALTER TABLE "inbound_queue" drop column "lane_key";--> statement-breakpoint
ALTER TABLE "inbound_queue" ADD COLUMN "lane_key" text GENERATED ALWAYS AS (remote_system_id || ':' || remote_correlation_id) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "inbound_lane" ON "inbound_queue" USING btree ("lane_key","sequence");--> statement-breakpoint
ALTER TABLE "outbound_queue" drop column "lane_key";--> statement-breakpoint
ALTER TABLE "outbound_queue" ADD COLUMN "lane_key" text GENERATED ALWAYS AS (remote_system_id || ':' || record_sys_id) STORED NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "outbound_lane" ON "outbound_queue" USING btree ("lane_key","lane_seq");
