CREATE TABLE `attachment_push` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`remote_system_id` text NOT NULL,
	`attachment_sys_id` text NOT NULL,
	`key` text NOT NULL,
	`receiver_correlation_id` text NOT NULL,
	`batch` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `attachment_push_ready` ON `attachment_push` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `attachment_push_unique` ON `attachment_push` (`remote_system_id`,`attachment_sys_id`,`receiver_correlation_id`);--> statement-breakpoint
CREATE TABLE `attachment_transfer` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`remote_system_id` text NOT NULL,
	`key_hash` text NOT NULL,
	`key` text NOT NULL,
	`correlation_id` text NOT NULL,
	`table_name` text NOT NULL,
	`record_sys_id` text NOT NULL,
	`file_name` text NOT NULL,
	`content_type` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`hash` text NOT NULL,
	`status` text NOT NULL,
	`error` text,
	`attachment_sys_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attachment_transfer_key` ON `attachment_transfer` (`remote_system_id`,`key_hash`);--> statement-breakpoint
CREATE INDEX `attachment_transfer_correlation` ON `attachment_transfer` (`correlation_id`,`status`);--> statement-breakpoint
ALTER TABLE `inbound_queue` ADD `warning` text;--> statement-breakpoint
ALTER TABLE `outbound_queue` ADD `warning` text;