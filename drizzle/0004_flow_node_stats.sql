CREATE TABLE `flow_node_stat` (
	`flow_id` text NOT NULL,
	`version` integer NOT NULL,
	`span` integer NOT NULL,
	`bucket` integer NOT NULL,
	`node_id` text NOT NULL,
	`port` text NOT NULL,
	`runs` integer NOT NULL,
	`errors` integer NOT NULL,
	`histogram` text NOT NULL,
	`last_error` text,
	`last_error_at` integer,
	PRIMARY KEY(`flow_id`, `version`, `span`, `bucket`, `node_id`, `port`)
);
--> statement-breakpoint
ALTER TABLE `flow_execution` ADD `error_node_id` text;