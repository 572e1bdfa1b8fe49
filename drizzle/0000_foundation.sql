CREATE TABLE `attachment` (
	`sys_id` text PRIMARY KEY NOT NULL,
	`table_name` text NOT NULL,
	`table_sys_id` text NOT NULL,
	`file_name` text NOT NULL,
	`content_type` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`hash` text NOT NULL,
	`sys_created_on` text NOT NULL,
	`sys_created_by` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `attachment_record` ON `attachment` (`table_name`,`table_sys_id`);--> statement-breakpoint
CREATE INDEX `attachment_hash` ON `attachment` (`hash`);--> statement-breakpoint
CREATE TABLE `audit_entry` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`table_name` text NOT NULL,
	`record_sys_id` text NOT NULL,
	`operation` text NOT NULL,
	`field` text,
	`old_value` text,
	`new_value` text,
	`user` text NOT NULL,
	`origin` text NOT NULL,
	`origin_remote` text,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_record` ON `audit_entry` (`record_sys_id`,`id`);--> statement-breakpoint
CREATE TABLE `instance_setting` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `journal_entry` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`entry_id` text NOT NULL,
	`table_name` text NOT NULL,
	`record_sys_id` text NOT NULL,
	`element` text NOT NULL,
	`value` text NOT NULL,
	`created_by` text NOT NULL,
	`created_on` text NOT NULL,
	`origin_remote` text
);
--> statement-breakpoint
CREATE INDEX `journal_record` ON `journal_entry` (`record_sys_id`,`seq`);--> statement-breakpoint
CREATE UNIQUE INDEX `journal_entry_id` ON `journal_entry` (`entry_id`);--> statement-breakpoint
CREATE TABLE `number_counter` (
	`table_name` text PRIMARY KEY NOT NULL,
	`next` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `record` (
	`sys_id` text PRIMARY KEY NOT NULL,
	`table_name` text NOT NULL,
	`data` text NOT NULL,
	`sys_created_on` text NOT NULL,
	`sys_created_by` text NOT NULL,
	`sys_updated_on` text NOT NULL,
	`sys_updated_by` text NOT NULL,
	`sys_mod_count` integer DEFAULT 0 NOT NULL,
	`sys_domain` text DEFAULT 'global' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `record_table_created` ON `record` (`table_name`,`sys_created_on`);--> statement-breakpoint
CREATE TABLE `session` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`user_sys_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`user_sys_id`) REFERENCES `record`(`sys_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `session_expires` ON `session` (`expires_at`);--> statement-breakpoint
CREATE TABLE `table_registry` (
	`name` text PRIMARY KEY NOT NULL,
	`label` text NOT NULL,
	`number_prefix` text,
	`display_field` text NOT NULL,
	`fields` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `user_credential` (
	`user_sys_id` text PRIMARY KEY NOT NULL,
	`password_hash` text NOT NULL,
	`changed_on` text NOT NULL,
	FOREIGN KEY (`user_sys_id`) REFERENCES `record`(`sys_id`) ON UPDATE no action ON DELETE cascade
);
