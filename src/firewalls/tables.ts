/** Kysely table types of the firewalls campaign (created by src/store/migrations/0003_firewalls.ts). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface FirewallsTables {}
