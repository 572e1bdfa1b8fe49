CREATE TABLE `record_clock` (
	`record_sys_id` text PRIMARY KEY NOT NULL,
	`clocks` text NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `record_clock` (`record_sys_id`, `clocks`)
SELECT `record_sys_id`, json_group_object(`origin`, json(`fields`)) FROM (
	SELECT `record_sys_id`, `origin`, json_group_object(`field`, `counter`) AS `fields`
	FROM `field_clock` GROUP BY `record_sys_id`, `origin`
) GROUP BY `record_sys_id`;
--> statement-breakpoint
DROP TABLE `field_clock`;
