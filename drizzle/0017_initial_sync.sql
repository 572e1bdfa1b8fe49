CREATE TABLE `initial_sync_count` (
	`remote_system_id` text NOT NULL,
	`job_id` text NOT NULL,
	`outcome` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`remote_system_id`, `job_id`, `outcome`)
);
--> statement-breakpoint
CREATE TABLE `initial_sync_event` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job_id` text NOT NULL,
	`action` text NOT NULL,
	`user` text NOT NULL,
	`detail` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `initial_sync_event_job` ON `initial_sync_event` (`job_id`,`id`);--> statement-breakpoint
CREATE TABLE `initial_sync_job` (
	`id` text PRIMARY KEY NOT NULL,
	`definition_id` text NOT NULL,
	`remote_system_id` text NOT NULL,
	`capture_definition_id` text NOT NULL,
	`table_name` text NOT NULL,
	`condition` text DEFAULT '' NOT NULL,
	`mode` text NOT NULL,
	`link_field` text,
	`status` text NOT NULL,
	`total` integer NOT NULL,
	`cursor` text DEFAULT '' NOT NULL,
	`enqueued` integer DEFAULT 0 NOT NULL,
	`exhausted` integer DEFAULT false NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`finished_at` integer,
	`remote_progress` text,
	`report` text,
	`last_error` text
);
--> statement-breakpoint
CREATE INDEX `initial_sync_job_status` ON `initial_sync_job` (`status`);--> statement-breakpoint
CREATE TABLE `initial_sync_outcome` (
	`remote_system_id` text NOT NULL,
	`message_id` text NOT NULL,
	`job_id` text NOT NULL,
	`outcome` text NOT NULL,
	`source_sys_id` text NOT NULL,
	`label` text DEFAULT '' NOT NULL,
	`local_sys_id` text,
	`detail` text,
	`at` integer NOT NULL,
	PRIMARY KEY(`remote_system_id`, `message_id`)
);
--> statement-breakpoint
CREATE INDEX `initial_sync_outcome_job` ON `initial_sync_outcome` (`remote_system_id`,`job_id`,`outcome`);--> statement-breakpoint
ALTER TABLE `inbound_queue` ADD `initial_sync_job_id` text;--> statement-breakpoint
ALTER TABLE `outbound_queue` ADD `initial_sync_job_id` text;--> statement-breakpoint
CREATE INDEX `outbound_initial_sync` ON `outbound_queue` (`initial_sync_job_id`,`status`) WHERE initial_sync_job_id IS NOT NULL;