CREATE TABLE `remote_alert` (
	`remote_system_id` text NOT NULL,
	`kind` text NOT NULL,
	`state` text NOT NULL,
	`value` integer NOT NULL,
	`threshold` integer NOT NULL,
	`message` text NOT NULL,
	`fired_at` integer NOT NULL,
	`cleared_at` integer,
	`notified_at` integer,
	`clear_notified_at` integer,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`remote_system_id`, `kind`)
);
--> statement-breakpoint
ALTER TABLE `remote_system` ADD `alert_queue_age_ms` integer;--> statement-breakpoint
ALTER TABLE `remote_system` ADD `alert_error_rate_pct` integer;