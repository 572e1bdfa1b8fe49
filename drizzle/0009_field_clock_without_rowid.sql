PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_field_clock` (
	`record_sys_id` text NOT NULL,
	`field` text NOT NULL,
	`counter` integer NOT NULL,
	`origin` text NOT NULL,
	PRIMARY KEY(`record_sys_id`, `field`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_field_clock`("record_sys_id", "field", "counter", "origin") SELECT "record_sys_id", "field", "counter", "origin" FROM `field_clock`;--> statement-breakpoint
DROP TABLE `field_clock`;--> statement-breakpoint
ALTER TABLE `__new_field_clock` RENAME TO `field_clock`;--> statement-breakpoint
PRAGMA foreign_keys=ON;