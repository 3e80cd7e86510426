/** Kysely table types of the cityfamily campaign (created by src/store/migrations/0004_cityfamily.ts). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CityfamilyTables {}
