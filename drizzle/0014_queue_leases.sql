ALTER TABLE `inbound_queue` ADD `claimed_by` text;--> statement-breakpoint
ALTER TABLE `inbound_queue` ADD `lease_until` integer;--> statement-breakpoint
ALTER TABLE `outbound_queue` ADD `claimed_by` text;--> statement-breakpoint
ALTER TABLE `outbound_queue` ADD `lease_until` integer;