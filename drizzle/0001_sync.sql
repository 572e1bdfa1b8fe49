CREATE TABLE `capture_definition` (
	`id` text PRIMARY KEY NOT NULL,
	`definition_id` text NOT NULL,
	`process_event_id` text NOT NULL,
	`name` text NOT NULL,
	`state` text DEFAULT 'active' NOT NULL,
	`order` integer DEFAULT 100 NOT NULL,
	`source_table` text NOT NULL,
	`filter` text NOT NULL,
	`operations` text NOT NULL,
	`include_fields` text NOT NULL,
	`include_journal` text NOT NULL,
	`include_attachments` integer DEFAULT false NOT NULL,
	`attachment_mode` text DEFAULT 'deltas' NOT NULL,
	`ignore_non_interactive` integer DEFAULT false NOT NULL,
	`domain` text DEFAULT 'global' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`definition_id`) REFERENCES `sync_definition`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`process_event_id`) REFERENCES `process_event`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `capture_table` ON `capture_definition` (`source_table`,`state`);--> statement-breakpoint
CREATE TABLE `correlation` (
	`local_id` text PRIMARY KEY NOT NULL,
	`remote_id` text,
	`remote_system_id` text NOT NULL,
	`table_name` text NOT NULL,
	`record_sys_id` text NOT NULL,
	`state` text DEFAULT 'active' NOT NULL,
	`stale_fields_skipped` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`last_synced_at` integer,
	FOREIGN KEY (`remote_system_id`) REFERENCES `remote_system`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `correlation_record` ON `correlation` (`remote_system_id`,`table_name`,`record_sys_id`,`state`);--> statement-breakpoint
CREATE INDEX `correlation_remote` ON `correlation` (`remote_system_id`,`remote_id`);--> statement-breakpoint
CREATE TABLE `email_outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`idempotency_key` text NOT NULL,
	`to` text NOT NULL,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`status` text NOT NULL,
	`error` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `email_outbox_idempotency_key_unique` ON `email_outbox` (`idempotency_key`);--> statement-breakpoint
CREATE TABLE `field_clock` (
	`record_sys_id` text NOT NULL,
	`field` text NOT NULL,
	`counter` integer NOT NULL,
	`origin` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `field_clock_key` ON `field_clock` (`record_sys_id`,`field`);--> statement-breakpoint
CREATE TABLE `flow_binding` (
	`id` text PRIMARY KEY NOT NULL,
	`direction` text NOT NULL,
	`definition_id` text,
	`process_event_id` text NOT NULL,
	`remote_system_id` text NOT NULL,
	`flow_id` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`definition_id`) REFERENCES `sync_definition`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`process_event_id`) REFERENCES `process_event`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`remote_system_id`) REFERENCES `remote_system`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `flow_binding_unique` ON `flow_binding` (`direction`,`process_event_id`,`remote_system_id`);--> statement-breakpoint
CREATE TABLE `idempotency_key` (
	`key` text PRIMARY KEY NOT NULL,
	`result` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `process_event` (
	`id` text PRIMARY KEY NOT NULL,
	`definition_id` text NOT NULL,
	`name` text NOT NULL,
	`domain` text DEFAULT 'global' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`definition_id`) REFERENCES `sync_definition`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `process_event_name_unique` ON `process_event` (`name`);--> statement-breakpoint
CREATE TABLE `remote_system` (
	`id` text PRIMARY KEY NOT NULL,
	`definition_id` text,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`domain` text DEFAULT 'global' NOT NULL,
	`external_id` text DEFAULT '' NOT NULL,
	`base_url` text NOT NULL,
	`outbound_user` text DEFAULT '' NOT NULL,
	`outbound_secret` text DEFAULT '' NOT NULL,
	`signing_secret` text DEFAULT '' NOT NULL,
	`inbound_api_user_id` text,
	`run_as_user_id` text,
	`error_subflow_id` text,
	`outbound_state` text DEFAULT 'disabled' NOT NULL,
	`inbound_state` text DEFAULT 'disabled' NOT NULL,
	`state_message` text DEFAULT '' NOT NULL,
	`retry_times` integer DEFAULT 5 NOT NULL,
	`retry_interval_ms` integer DEFAULT 1000 NOT NULL,
	`retry_backoff` text DEFAULT 'exponential' NOT NULL,
	`auto_recover` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`definition_id`) REFERENCES `sync_definition`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `remote_system_name_unique` ON `remote_system` (`name`);--> statement-breakpoint
CREATE TABLE `sync_definition` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`domain` text DEFAULT 'global' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sync_definition_name_unique` ON `sync_definition` (`name`);--> statement-breakpoint
CREATE TABLE `flow` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`kind` text NOT NULL,
	`draft` text NOT NULL,
	`template_id` text,
	`latest_version` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `flow_execution` (
	`id` text PRIMARY KEY NOT NULL,
	`flow_id` text NOT NULL,
	`version` integer NOT NULL,
	`status` text NOT NULL,
	`queue` text NOT NULL,
	`queue_row_id` integer,
	`run_key` text NOT NULL,
	`inputs` text,
	`outputs` text,
	`steps` text,
	`error` text,
	`started_at` integer NOT NULL,
	`duration_ms` integer
);
--> statement-breakpoint
CREATE INDEX `flow_execution_flow` ON `flow_execution` (`flow_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `flow_execution_row` ON `flow_execution` (`queue`,`queue_row_id`);--> statement-breakpoint
CREATE TABLE `flow_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`execution_id` text,
	`flow_id` text,
	`level` text NOT NULL,
	`message` text NOT NULL,
	`data` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `flow_log_execution` ON `flow_log` (`execution_id`);--> statement-breakpoint
CREATE TABLE `flow_version` (
	`flow_id` text NOT NULL,
	`version` integer NOT NULL,
	`graph` text NOT NULL,
	`dag` text NOT NULL,
	`published_at` integer NOT NULL,
	`published_by` text NOT NULL,
	PRIMARY KEY(`flow_id`, `version`),
	FOREIGN KEY (`flow_id`) REFERENCES `flow`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `inbound_queue` (
	`sequence` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` text NOT NULL,
	`remote_system_id` text NOT NULL,
	`process_event` text NOT NULL,
	`operation` text NOT NULL,
	`local_correlation_id` text,
	`remote_correlation_id` text NOT NULL,
	`lane_key` text NOT NULL,
	`lane_seq` integer NOT NULL,
	`payload` text NOT NULL,
	`status` text DEFAULT 'ready' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`flow_execution_id` text,
	`received_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`processing_ms` integer,
	`domain` text DEFAULT 'global' NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inbound_message` ON `inbound_queue` (`remote_system_id`,`message_id`);--> statement-breakpoint
CREATE INDEX `inbound_ready` ON `inbound_queue` (`status`,`sequence`);--> statement-breakpoint
CREATE INDEX `inbound_lane` ON `inbound_queue` (`lane_key`,`sequence`);--> statement-breakpoint
CREATE TABLE `outbound_queue` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` text NOT NULL,
	`status` text DEFAULT 'ready' NOT NULL,
	`process_event` text NOT NULL,
	`remote_system_id` text NOT NULL,
	`capture_definition_id` text,
	`flow_binding_id` text NOT NULL,
	`operation` text NOT NULL,
	`table_name` text NOT NULL,
	`record_sys_id` text NOT NULL,
	`lane_key` text NOT NULL,
	`lane_seq` integer NOT NULL,
	`payload` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`retry_history` text NOT NULL,
	`last_error` text,
	`error_kind` text,
	`flow_execution_id` text,
	`flow_version` integer,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`processing_ms` integer,
	`domain` text DEFAULT 'global' NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbound_queue_message_id_unique` ON `outbound_queue` (`message_id`);--> statement-breakpoint
CREATE INDEX `outbound_ready` ON `outbound_queue` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `outbound_lane` ON `outbound_queue` (`lane_key`,`lane_seq`);--> statement-breakpoint
CREATE INDEX `outbound_record` ON `outbound_queue` (`table_name`,`record_sys_id`);--> statement-breakpoint
CREATE TABLE `queue_action` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`queue` text NOT NULL,
	`row_id` integer NOT NULL,
	`action` text NOT NULL,
	`user` text NOT NULL,
	`detail` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `queue_action_row` ON `queue_action` (`queue`,`row_id`);