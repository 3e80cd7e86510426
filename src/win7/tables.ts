/** Kysely table types of the win7 campaign (created by src/store/migrations/0005_win7.ts). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Win7Tables {}
