DROP INDEX `inbound_ready`;--> statement-breakpoint
CREATE INDEX `inbound_claim` ON `inbound_queue` (`remote_system_id`,`status`,`sequence`);--> statement-breakpoint
CREATE INDEX `inbound_status` ON `inbound_queue` (`status`);--> statement-breakpoint
DROP INDEX `outbound_ready`;--> statement-breakpoint
CREATE INDEX `outbound_claim` ON `outbound_queue` (`remote_system_id`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `outbound_due` ON `outbound_queue` (`remote_system_id`,`status`,`next_attempt_at`);