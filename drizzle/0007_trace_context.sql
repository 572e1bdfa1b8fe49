ALTER TABLE `flow_execution` ADD `trace_id` text;--> statement-breakpoint
ALTER TABLE `inbound_queue` ADD `trace_context` text;--> statement-breakpoint
ALTER TABLE `outbound_queue` ADD `trace_context` text;