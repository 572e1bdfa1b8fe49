CREATE TABLE `attachment_content` (
	`hash` text NOT NULL,
	`seq` integer NOT NULL,
	`bytes` blob NOT NULL,
	`staged_at` integer,
	PRIMARY KEY(`hash`, `seq`)
);
--> statement-breakpoint
CREATE INDEX `attachment_content_staged` ON `attachment_content` (`staged_at`);