ALTER TABLE `inbound_queue` ADD `next_attempt_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `inbound_queue` ADD `retry_history` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `inbound_queue` ADD `error_kind` text;