DROP INDEX `inbound_lane`;--> statement-breakpoint
ALTER TABLE `inbound_queue` DROP COLUMN `lane_key`;--> statement-breakpoint
ALTER TABLE `inbound_queue` ADD `lane_key` text GENERATED ALWAYS AS (remote_system_id || ':' || remote_correlation_id) VIRTUAL NOT NULL;--> statement-breakpoint
CREATE INDEX `inbound_lane` ON `inbound_queue` (`lane_key`,`sequence`);--> statement-breakpoint
DROP INDEX `outbound_lane`;--> statement-breakpoint
ALTER TABLE `outbound_queue` DROP COLUMN `lane_key`;--> statement-breakpoint
ALTER TABLE `outbound_queue` ADD `lane_key` text GENERATED ALWAYS AS (remote_system_id || ':' || record_sys_id) VIRTUAL NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `outbound_lane` ON `outbound_queue` (`lane_key`,`lane_seq`);
