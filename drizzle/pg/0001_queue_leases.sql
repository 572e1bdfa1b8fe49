ALTER TABLE "inbound_queue" ADD COLUMN "claimed_by" text;--> statement-breakpoint
ALTER TABLE "inbound_queue" ADD COLUMN "lease_until" bigint;--> statement-breakpoint
ALTER TABLE "outbound_queue" ADD COLUMN "claimed_by" text;--> statement-breakpoint
ALTER TABLE "outbound_queue" ADD COLUMN "lease_until" bigint;