// All tables of an instance database; drizzle-kit reads this barrel to generate migrations.

export * from "./alerts";
export * from "./flows";
export * from "./initial-sync";
export * from "./queues";
export * from "./records";
export * from "./sync";
export * from "./transfers";
