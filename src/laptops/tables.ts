/** Kysely table types of the laptops campaign (created by src/store/migrations/0002_laptops.ts). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LaptopsTables {}
