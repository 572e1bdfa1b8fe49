DROP INDEX `inbound_claim`;--> statement-breakpoint
DROP INDEX `inbound_status`;--> statement-breakpoint
CREATE INDEX `inbound_claim` ON `inbound_queue` (`remote_system_id`,`status`,`sequence`) WHERE status <> 'processed';--> statement-breakpoint
CREATE INDEX `inbound_status` ON `inbound_queue` (`status`) WHERE status <> 'processed';--> statement-breakpoint
DROP INDEX `outbound_claim`;--> statement-breakpoint
DROP INDEX `outbound_due`;--> statement-breakpoint
CREATE INDEX `outbound_claim` ON `outbound_queue` (`remote_system_id`,`status`,`id`) WHERE status <> 'processed';--> statement-breakpoint
CREATE INDEX `outbound_due` ON `outbound_queue` (`remote_system_id`,`status`,`next_attempt_at`) WHERE status <> 'processed';